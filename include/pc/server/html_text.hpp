// Text put into the dashboard's HTML: every value that is not our own markup goes through
// these (identifiers are restricted to [A-Za-z0-9._-], but nothing here relies on it).
#pragma once

#include <string>
#include <string_view>

namespace pc::server {

// & < > " ' as character references: safe in element content and in quoted attributes.
std::string html_escape(std::string_view text);
// Percent-encodes everything but the unreserved characters of RFC 3986 (A-Z a-z 0-9 - . _ ~):
// safe as one path segment or query value.
std::string url_component(std::string_view text);

}  // namespace pc::server
