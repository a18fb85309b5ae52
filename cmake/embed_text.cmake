# Writes OUTPUT: a C++ source defining `std::string_view SYMBOL()` in NAMESPACE that returns the
# bytes of INPUT (a data file compiled into rtts). Run with cmake -P.
file(READ "${INPUT}" bytes HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," chars "${bytes}")
file(SIZE "${INPUT}" size)
set(body "// Generated from ${INPUT} by cmake/embed_text.cmake. Do not edit.\n#include <string_view>\n\nnamespace ${NAMESPACE} {\n")
string(APPEND body "namespace {\nconstexpr char bytes[] = {${chars} 0};\n}\n")
string(APPEND body "std::string_view ${SYMBOL}() { return std::string_view(bytes, ${size}); }\n} // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
configure_file("${OUTPUT}.tmp" "${OUTPUT}" COPYONLY)
