# Writes OUT (build_commit.h) with the commit the build is from, for `sockstep --version`. Run
# at every build by app/CMakeLists.txt; OUT is rewritten only when its text changes, so a build
# on the same commit recompiles nothing. COMMIT, when given (a build from a release tarball,
# which has no .git), is used as it is.
set(commit "${COMMIT}")
set(dirty 0)
if(commit STREQUAL "")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE}" rev-parse --short=12 HEAD
                    OUTPUT_VARIABLE commit RESULT_VARIABLE rc
                    OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(NOT rc EQUAL 0)
      set(commit "")
    endif()
    if(NOT commit STREQUAL "")
      # Tracked files changed since that commit: the binary is not that commit's.
      execute_process(COMMAND "${GIT_EXECUTABLE}" -C "${SOURCE}" status --porcelain
                              --untracked-files=no
                      OUTPUT_VARIABLE changes RESULT_VARIABLE rc ERROR_QUIET)
      if(rc EQUAL 0 AND NOT changes STREQUAL "")
        set(dirty 1)
      endif()
    endif()
  endif()
endif()
set(text "// Written at build time by cmake/build_commit.cmake: the commit this build is from.\n")
string(APPEND text "#define SOCKSTEP_COMMIT \"${commit}\"\n#define SOCKSTEP_COMMIT_DIRTY ${dirty}\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
