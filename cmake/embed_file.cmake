# Turns a file into a C++ source defining `std::string_view NAME()`, so data
# can ship inside the binary. Run with -DINPUT= -DOUTPUT= -DNAME=.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
math(EXPR size "${hex_length} / 2")
file(WRITE "${OUTPUT}" "// Generated from ${INPUT}; do not edit.\n#include <string_view>\nnamespace genrelab {\nstatic const unsigned char kData[] = {${bytes}};\nstd::string_view ${NAME}() { return {reinterpret_cast<const char*>(kData), ${size}}; }\n}  // namespace genrelab\n")
