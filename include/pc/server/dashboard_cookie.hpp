// The dashboard's session cookie: how it is set, cleared and read back.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace pc::server {

inline constexpr std::string_view kSessionCookie = "pcd_session";

// A Set-Cookie value: the token, HttpOnly (no script reads it), SameSite=Strict (no other
// site's page sends it), Path=/, Max-Age = the session's lifetime, and Secure when pcd serves
// TLS (the browser then never sends it over plain HTTP).
std::string session_cookie(std::string_view token, std::chrono::seconds max_age, bool secure);
// The Set-Cookie value that makes the browser forget the cookie (sign-out).
std::string cleared_session_cookie(bool secure);
// The value of cookie `name` in a Cookie request header ("a=1; b=2"); nullopt when absent.
std::optional<std::string> cookie_value(std::string_view header, std::string_view name);

}  // namespace pc::server
