#include "pc/server/dashboard_headers.hpp"

#include <httplib.h>

#include "pc/core/strings.hpp"
#include "pc/server/dashboard_pages.hpp"

namespace pc::server {

namespace {

std::string dashboard_policy() {
    const report::CspHashes& hashes = dashboard_csp_hashes();
    return "default-src 'none'; script-src " + hashes.script_src() + "; style-src " +
           hashes.style_src() +
           "; img-src data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
           "base-uri 'none'";
}

}  // namespace

void set_dashboard_headers(httplib::Response& res) {
    // Only the pages' own inline blocks, by hash: no 'unsafe-inline', so no injected script,
    // event-handler attribute or style attribute runs.
    static const std::string policy = dashboard_policy();
    res.set_header("Content-Security-Policy", policy);
    res.set_header("X-Frame-Options", "DENY");
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    res.set_header("Referrer-Policy", "same-origin");
}

bool same_origin_post(std::string_view origin, std::string_view sec_fetch_site,
                      std::string_view host) {
    if (!origin.empty()) {
        const std::string lower = core::to_lower(core::trim(origin));
        std::string_view rest = lower;
        if (rest.starts_with("https://")) {
            rest.remove_prefix(8);
        } else if (rest.starts_with("http://")) {
            rest.remove_prefix(7);
        } else {
            return false;  // "null" (a sandboxed or file page) or anything odd
        }
        return !host.empty() && rest == core::to_lower(core::trim(host));
    }
    if (!sec_fetch_site.empty()) {
        const auto site = core::to_lower(core::trim(sec_fetch_site));
        return site == "same-origin" || site == "none";
    }
    return true;
}

}  // namespace pc::server
