# SOCKSTEP_SANITIZE: build every target of this project with GCC's sanitizers, e.g.
#   -DSOCKSTEP_SANITIZE=address,undefined   (ASan + LSan + UBSan; scripts/sanitize asan)
#   -DSOCKSTEP_SANITIZE=thread              (TSan; scripts/sanitize tsan)
# Included from the top level before any add_subdirectory, so the directory-wide options below
# reach core, ui, app, tests, bench and the generated glad loader alike. Prebuilt system
# libraries (libimgui.a, libgtest.a, glfw, Mesa) stay uninstrumented: ASan and UBSan still see
# every bad access our code makes into their memory; TSan sees their locks through the pthread
# interceptors.
set(SOCKSTEP_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list for the project's targets (address,undefined or thread)")

# Each test's hang guard (tests/CMakeLists.txt), never a timing goal. Sanitized code runs several
# times slower, and the 1,000-client test (tests/core/session_scale_test.cpp, ~36 s in the Debug
# build) took over 300 s under ASan on a loaded 2-core machine: three times the guard there.
set(SOCKSTEP_TEST_TIMEOUT 300)
if(SOCKSTEP_SANITIZE)
  set(SOCKSTEP_TEST_TIMEOUT 900)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "SOCKSTEP_SANITIZE needs GCC or Clang, not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  string(REPLACE "," ";" _sanitizers "${SOCKSTEP_SANITIZE}")
  foreach(_s IN LISTS _sanitizers)
    if(NOT _s MATCHES "^(address|undefined|leak|thread)$")
      message(FATAL_ERROR "SOCKSTEP_SANITIZE: unknown sanitizer '${_s}' in '${SOCKSTEP_SANITIZE}' "
                          "(use address,undefined or thread)")
    endif()
  endforeach()
  # The runtimes cannot share one process: both own the shadow memory.
  if("thread" IN_LIST _sanitizers AND ("address" IN_LIST _sanitizers OR "leak" IN_LIST _sanitizers))
    message(FATAL_ERROR "SOCKSTEP_SANITIZE: thread cannot be combined with address or leak")
  endif()

  # -fno-sanitize-recover=all: the first UBSan finding aborts the test, so ctest fails instead
  # of printing a line nobody reads. Frame pointers make the reports' stacks complete and cheap.
  # -O1 (after the build type's -Og, so it wins): the speed the sanitizer manuals recommend,
  # and the 1,000-client test stays within its timeout.
  set(_flags -fsanitize=${SOCKSTEP_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_compile_options(${_flags} -O1 -g)
  add_link_options(${_flags})
  # GCC 12 at -O1 with the sanitizers' instrumentation reports -Wmaybe-uninitialized inside
  # libstdc++'s <regex> (std::function moved in _NFA::_M_insert_subexpr_end), a false positive in
  # the standard library that -Werror would turn into a failed build. The plain Debug build of
  # scripts/test still checks this warning on our code.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(sockstep_warnings INTERFACE -Wno-maybe-uninitialized)
  endif()
  message(STATUS "sockstep: sanitizers ${SOCKSTEP_SANITIZE}")
endif()
