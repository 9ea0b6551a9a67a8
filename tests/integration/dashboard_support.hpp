// Shared by the dashboard's integration tests: a real pcd with a known admin key and the real
// pcc agents trickling to it at 1 s, plus a small HTTP client that keeps the session cookie.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "pc/client/http_client.hpp"
#include "trickle_support.hpp"

namespace pc::dashboard_it {

using namespace pc::trickle_it;

// A valid identifier that looks like trouble: a leading '-' (a flag), ".." (a path), '_'.
inline const std::string kHostileId = "-..--x_.._";

// pcd with our own admin keys file, so the test knows the admin key.
class DashboardPcd {
public:
    explicit DashboardPcd(const std::map<std::string, std::string>& env = {}) {
        admin_key = "admin-" + pc::keys::generate_api_key();
        write_admin_keys({admin_key});
        pcd.set_env("PCD_ADMINKEYS_FILE", (dir_ / "adminkeys").string());
        for (const auto& [k, v] : env) pcd.set_env(k, v);
    }
    // Replaces the admin keys file (pcd reads it again on SIGHUP).
    void write_admin_keys(const std::vector<std::string>& keys) {
        pc::keys::write_key_file(dir_ / "adminkeys", keys);
    }
    std::string admin_key;
    Pcd pcd;

private:
    pc::test::TempDir dir_;
};

// An agent trickling every second for up to 10 minutes until stopped: on the recorded procroot
// (figures that never move), or with `live` on this host's /proc (CPU busy has a value).
class Agent {
public:
    Agent(const std::string& identifier, const Pcd& pcd, bool live = false) {
        auto env = trickle_env(work_.path(), 600, pcd.url(), pcd.agent_key);
        env["PCC_IDENTIFIER"] = identifier;
        env["PCC_SUBSYSTEMS"] = std::string(kSubsystems) + ",/proc/loadavg";
        if (live) env.erase("PCC_PROCROOT");
        child_ = start_pcc(env);
    }
    void stop() {
        child_->signal(SIGTERM);
        child_->wait(30s);
    }
    std::string log() const { return child_->err_so_far(); }

private:
    pc::test::TempDir work_;
    std::unique_ptr<pc::test::Child> child_;
};

// Requests to pcd as a browser would make them: Origin set on POSTs, the cookie kept.
class Browser {
public:
    explicit Browser(const Pcd& pcd, const std::string& ca_file = "")
        : origin_(pcd.url()), client_(make_client(pcd.url(), ca_file)) {}

    client::HttpResult get(const std::string& path) { return client_.get(path, headers()); }
    client::HttpResult post_form(const std::string& path, const std::string& body,
                                 const std::string& origin = "") {
        auto h = headers();
        h.emplace_back("Origin", origin.empty() ? origin_ : origin);
        auto r = client_.post(path, body, "application/x-www-form-urlencoded", h);
        if (r.response) {
            if (auto set = r.response->header("Set-Cookie")) {
                const auto value = set->substr(0, set->find(';'));
                cookie = value == "pcd_session=" ? "" : value;
            }
        }
        return r;
    }
    client::HttpResult sign_in(const std::string& key) {
        return post_form("/dashboard/signin", "key=" + form_encode(key));
    }
    std::string cookie;  // "pcd_session=<token>", or empty

private:
    static client::HttpClient make_client(const std::string& url, const std::string& ca_file) {
        client::HttpClientOptions options;
        options.ca_file = ca_file;
        options.max_body = 64u << 20;
        options.read_timeout = 30s;
        return client::HttpClient(client::parse_base_url(url), options);
    }
    static std::string form_encode(const std::string& text) {
        std::string out;
        static const char* hex = "0123456789ABCDEF";
        for (unsigned char c : text) {
            if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                out += static_cast<char>(c);
            } else {
                out += '%';
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        return out;
    }
    client::Headers headers() const {
        if (cookie.empty()) return {};
        return {{"Cookie", cookie}};
    }
    std::string origin_;
    client::HttpClient client_;
};

}  // namespace pc::dashboard_it
