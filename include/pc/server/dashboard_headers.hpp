// What every dashboard answer carries, and the check every dashboard POST makes.
#pragma once

#include <string_view>

namespace httplib {
struct Response;
}

namespace pc::server {

// Content-Security-Policy (nothing from anywhere but the pages' own inline scripts and styles,
// listed by hash (dashboard_csp_hashes), and fetches to pcd; no frames, forms post only to pcd),
// X-Frame-Options DENY, no-store caching, nosniff, no Referer to other sites (same-origin: with
// no-referrer, browsers send "Origin: null" on the form POSTs, which same_origin_post must refuse).
void set_dashboard_headers(httplib::Response& res);

// Whether a POST comes from the dashboard's own pages. Browsers send Origin with every POST:
// its host[:port] must be the Host the request was sent to (the scheme is not compared, so a
// TLS-terminating proxy in front of pcd passes when it keeps Host). Without Origin, a
// Sec-Fetch-Site other than same-origin or none is refused; a request with neither comes from
// no browser and so cannot be forged by another site.
bool same_origin_post(std::string_view origin, std::string_view sec_fetch_site,
                      std::string_view host);

}  // namespace pc::server
