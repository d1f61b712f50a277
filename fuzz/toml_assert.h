// Forced (-include) into every core source of the fuzz build, before toml++: toml++'s internal
// assertions stay on, so the fuzzer also finds inputs that break the library's own invariants,
// except three preconditions toml++ 3.3.0 states wrongly. parse_table_header() calls parse_key()
// on whatever follows '[' or '[[', and parse_key() asserts that this is a key character, yet
// handles the other case itself with a parse error ("expected bare key starting character or
// string delimiter, saw '='"). A teacher's typo such as `[=]` or `[[[steps]]]` reaches it.
// Fixed upstream in marzer/tomlplusplus#301. Likewise parse_array() calls parse_value() on a
// '}' (`a = [}]`), where parse_value() asserts it is not given a value terminator, yet reports
// "could not determine value type" itself. And parse_date_time() calls parse_time() on whatever
// follows the 'T' of `1979-05-27Tx:00`, where parse_time() asserts it is given a digit, yet its
// next line reports "expected 2-digit hour, saw 'x'". The shipped sockstep links Debian's
// libtomlplusplus.so, built by GCC 12 with the assertion compiled out and no __builtin_assume,
// so there these are parse errors; tests/core/fuzz_regression_test.cpp checks exactly that.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>

// `function` narrows the third case to parse_time(): the same expression guards parse_date()
// and parse_date_time(), whose callers do check for a digit first.
inline bool SockstepFuzzTomlAssertFailed(const char* expr, const char* function, const char* file,
                                         int line) {
    if (std::strcmp(expr, "is_bare_key_character(*cp) || is_string_delimiter(*cp)") == 0 ||
        std::strcmp(expr, "!is_value_terminator(*cp)") == 0 ||
        (std::strcmp(expr, "is_decimal_digit(*cp)") == 0 &&
         std::strcmp(function, "parse_time") == 0)) {
        return true;
    }
    std::fprintf(stderr, "%s:%d: toml++ assertion failed: %s\n", file, line, expr);
    std::abort();
}

#define TOML_ASSERT(expr) \
    static_cast<void>((expr) || SockstepFuzzTomlAssertFailed(#expr, __func__, __FILE__, __LINE__))
