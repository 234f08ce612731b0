# Generates a C++ file holding reports/assets/report.{css,js} as raw string literals, so the
# HTML report stays one self-contained file and the assets stay editable as CSS and JS.
file(READ "${CSS}" css)
file(READ "${JS}" js)
foreach(content css js)
  string(FIND "${${content}}" ")pp_asset\"" bad)
  if(NOT bad EQUAL -1)
    message(FATAL_ERROR "asset ${content} contains the raw-string delimiter")
  endif()
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from reports/assets by embed_assets.cmake. Do not edit.\n#include \"reports/html.h\"\nnamespace pp::reports {\nconst char* const kHtmlCss = R\"pp_asset(${css})pp_asset\";\nconst char* const kHtmlJs = R\"pp_asset(${js})pp_asset\";\n}  // namespace pp::reports\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
