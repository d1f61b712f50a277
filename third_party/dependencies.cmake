# CMake glue for the Debian packages sockstep builds on, included from the top level so the
# imported targets are visible everywhere. No third-party source lives in third_party/.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(tomlplusplus 3 REQUIRED)
find_package(CLI11 2 REQUIRED)

if(SOCKSTEP_GUI)
  # libimgui-dev ships a static libimgui.a with the glfw and opengl3 backends inside;
  # Debian strips the bundled stb, so stb_truetype/stb_rect_pack come from libstb.
  pkg_check_modules(IMGUI REQUIRED IMPORTED_TARGET imgui)
  add_library(sockstep_imgui INTERFACE)
  target_link_libraries(sockstep_imgui INTERFACE PkgConfig::IMGUI)
  target_include_directories(sockstep_imgui SYSTEM INTERFACE ${IMGUI_INCLUDE_DIRS}
                             ${IMGUI_INCLUDEDIR}/backends)

  find_package(glfw3 3.3 REQUIRED)

  # glad 2 GL 3.3 core loader, generated into the build tree. --reproducible makes glad use
  # its bundled Khronos XML instead of downloading it. Debian's /usr/bin/glad, not any python3.
  find_program(GLAD_EXECUTABLE glad PATHS /usr/bin NO_DEFAULT_PATH REQUIRED)
  set(_glad_dir ${PROJECT_BINARY_DIR}/glad)
  add_custom_command(
    OUTPUT ${_glad_dir}/src/gl.c ${_glad_dir}/include/glad/gl.h
    COMMAND ${GLAD_EXECUTABLE} --quiet --reproducible --api gl:core=3.3 --extensions=
            --out-path ${_glad_dir} c
    COMMENT "Generating the glad GL 3.3 core loader"
    VERBATIM)
  add_library(sockstep_glad STATIC ${_glad_dir}/src/gl.c ${_glad_dir}/include/glad/gl.h)
  target_include_directories(sockstep_glad SYSTEM PUBLIC ${_glad_dir}/include)
  target_link_libraries(sockstep_glad PUBLIC ${CMAKE_DL_LIBS})
endif()
