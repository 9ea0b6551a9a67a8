// Private to the report module: dygraphs (Debian's libjs-dygraphs, MIT), inlined into the
// library at build time by cmake/EmbedAssets.cmake from /usr/share/javascript/dygraphs.
#pragma once

#include <string_view>

namespace pc::report::assets {

extern const std::string_view kDygraphJs;        // dygraph.min.js
extern const std::string_view kDygraphCss;       // dygraph.min.css
extern const std::string_view kSynchronizerJs;   // extras/synchronizer.js
extern const std::string_view kDygraphsVersion;  // e.g. "2.2.1"

}  // namespace pc::report::assets
