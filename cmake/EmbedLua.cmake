# relais_embed_lua(<output.cc> <namespace> "<prelude.lua>|<prelude2.lua>" <script.lua>...)
# Writes a C++ file that holds each script (prelude prepended) as a string constant named after the
# file, so the scripts stay readable .lua files and still ship inside the binary.
function(relais_embed_lua output namespace prelude)
  set(scripts ${ARGN})
  string(REPLACE "|" ";" prelude_list "${prelude}")
  string(REPLACE ";" "|" scripts_joined "${scripts}")  # a ";" would split the command line
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DNAMESPACE=${namespace} -DPRELUDE=${prelude}
            "-DSCRIPTS=${scripts_joined}" -P ${PROJECT_SOURCE_DIR}/cmake/EmbedLuaRun.cmake
    DEPENDS ${prelude_list} ${scripts} ${PROJECT_SOURCE_DIR}/cmake/EmbedLuaRun.cmake
    COMMENT "Embedding Lua scripts into ${output}"
    VERBATIM)
endfunction()
