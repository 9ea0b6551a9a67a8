// pcd's dashboard over plain HTTP requests against the real pcd with two real agents: no
// session no data, machine keys refused, the cookie's attributes, sign-out ends the session,
// the security headers, hostile-looking identifiers escaped, the downloads.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "dashboard_support.hpp"
#include "inline_blocks.hpp"
#include "pc/report/csp_hashes.hpp"

using namespace pc::dashboard_it;

namespace {

nlohmann::json fleet(Browser& browser) {
    auto r = browser.get("/dashboard/fleet.json");
    if (r.status() != 200) return nlohmann::json::object();
    return nlohmann::json::parse(r.response->body, nullptr, false);
}

std::string state_of(const nlohmann::json& fleet_json, const std::string& id) {
    if (!fleet_json.contains("machines")) return "";
    for (const auto& m : fleet_json["machines"]) {
        if (m["identifier"] == id) return m["state"];
    }
    return "";
}

// The answer's Content-Security-Policy has no 'unsafe-inline' and lists every inline script
// and style of its page by hash; the page has no event-handler or style attributes.
void expect_policy_covers_page(const pc::client::HttpResult& r, const std::string& what) {
    ASSERT_TRUE(r.response) << what << ": " << r.error;
    const std::string policy = r.response->header("Content-Security-Policy").value_or("");
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << what << ": " << policy;
    EXPECT_EQ(policy.find("unsafe-eval"), std::string::npos) << what << ": " << policy;
    const auto directive = [&](const std::string& name) {
        const auto at = policy.find(name + " ");
        return at == std::string::npos ? std::string()
                                       : policy.substr(at, policy.find(';', at) - at);
    };
    const auto blocks = pc::test::inline_blocks(r.response->body);
    EXPECT_FALSE(blocks.empty()) << what;
    for (const auto& b : blocks) {
        const std::string list = directive(b.script ? "script-src" : "style-src");
        EXPECT_NE(list.find(pc::report::csp_hash(b.text)), std::string::npos)
            << what << ": " << (b.script ? "script" : "style") << " not listed, starting "
            << b.text.substr(0, 80);
    }
    EXPECT_EQ(pc::test::inline_attribute(r.response->body), "") << what;
}

}  // namespace

TEST(DashboardHttp, PolicyListsEveryInlineBlockByHash) {
    DashboardPcd server;
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    Agent web("web-01", server.pcd);
    ASSERT_TRUE(wait_until(
        [&] { return std::filesystem::exists(server.pcd.data_dir() / "web-01.json"); }, 30s))
        << server.pcd.logs() << web.log();
    Browser browser(server.pcd);
    expect_policy_covers_page(browser.get("/"), "sign-in page");
    ASSERT_EQ(browser.sign_in(server.admin_key).status(), 303);
    expect_policy_covers_page(browser.get("/"), "fleet page");
    auto machine = browser.get("/dashboard/machine/web-01");
    ASSERT_EQ(machine.status(), 200);
    EXPECT_NE(machine.response->body.find("pcd-banner"), std::string::npos);
    expect_policy_covers_page(machine, "machine page");
    expect_policy_covers_page(browser.get("/dashboard/machine/web-01?window=2y"), "error page");
    const auto range = "since=" + std::to_string(std::time(nullptr) - 600) +
                       "&until=" + std::to_string(std::time(nullptr) + 5);
    expect_policy_covers_page(browser.get("/dashboard/machine/web-01/report.html?" + range),
                              "report download");
    web.stop();
}

TEST(DashboardHttp, SessionsCookiesAndRefusals) {
    DashboardPcd server(std::map<std::string, std::string>{{"PCD_SESSION_TTL", "30m"}});
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    Agent web("web-01", server.pcd);
    Agent hostile(kHostileId, server.pcd);
    const auto stored = [&](const std::string& id) {
        return std::filesystem::exists(server.pcd.data_dir() / (id + ".json"));
    };
    ASSERT_TRUE(wait_until([&] { return stored("web-01") && stored(kHostileId); }, 30s))
        << server.pcd.logs() << web.log() << hostile.log();

    // No cookie: the sign-in page, and no data anywhere.
    Browser anonymous(server.pcd);
    auto page = anonymous.get("/");
    ASSERT_EQ(page.status(), 200) << page.error;
    EXPECT_NE(page.response->body.find("action=\"/dashboard/signin\""), std::string::npos);
    EXPECT_EQ(page.response->body.find("web-01"), std::string::npos);
    for (const std::string path :
         {"/dashboard/fleet.json", "/dashboard/machine/web-01/collection.json",
          "/dashboard/machine/web-01/report.html"}) {
        auto r = anonymous.get(path);
        EXPECT_EQ(r.status(), 401) << path;
        EXPECT_EQ(r.response->body.find("web-01\\"), std::string::npos) << path;
        EXPECT_EQ(r.response->body.find("timestamp"), std::string::npos) << path;
    }
    auto machine_page = anonymous.get("/dashboard/machine/web-01");
    EXPECT_EQ(machine_page.status(), 303);
    EXPECT_EQ(machine_page.response->header("Location"), "/");
    anonymous.cookie = "pcd_session=" + std::string(64, 'a');
    EXPECT_EQ(anonymous.get("/dashboard/fleet.json").status(), 401) << "a made-up token";

    // A machine key cannot sign in; neither can an unknown key or another site's form.
    Browser browser(server.pcd);
    auto refused = browser.sign_in(server.pcd.agent_key);
    EXPECT_EQ(refused.status(), 403);
    EXPECT_NE(refused.response->body.find("machine keys cannot sign in"), std::string::npos);
    EXPECT_FALSE(refused.response->header("Set-Cookie"));
    EXPECT_EQ(browser.sign_in("not-a-key-at-all-0123456789").status(), 401);
    auto forged =
        browser.post_form("/dashboard/signin", "key=" + server.admin_key, "https://evil.example");
    EXPECT_EQ(forged.status(), 403);
    EXPECT_FALSE(forged.response->header("Set-Cookie"));
    EXPECT_TRUE(browser.cookie.empty());

    // An admin key signs in: the cookie's attributes, then the data.
    auto signed_in = browser.sign_in(server.admin_key);
    ASSERT_EQ(signed_in.status(), 303) << signed_in.response->body;
    EXPECT_EQ(signed_in.response->header("Location"), "/");
    const auto cookie = signed_in.response->header("Set-Cookie").value_or("");
    EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Max-Age=1800"), std::string::npos) << cookie;
    EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP: " << cookie;
    EXPECT_EQ(browser.cookie.size(), std::string("pcd_session=").size() + 64);

    auto home = browser.get("/");
    ASSERT_EQ(home.status(), 200);
    EXPECT_NE(home.response->body.find("id=\"fleet-rows\""), std::string::npos);
    EXPECT_NE(
        home.response->header("Content-Security-Policy").value_or("").find("default-src 'none'"),
        std::string::npos);
    EXPECT_EQ(home.response->header("X-Frame-Options"), "DENY");
    EXPECT_EQ(home.response->header("Cache-Control"), "no-store");

    ASSERT_TRUE(wait_until(
        [&] {
            auto f = fleet(browser);
            return state_of(f, "web-01") == "fresh" && state_of(f, kHostileId) == "fresh";
        },
        30s))
        << fleet(browser).dump(1);
    const auto f = fleet(browser);
    for (const auto& m : f["machines"]) {
        EXPECT_GE(m["ticks"].get<int>(), 1) << m.dump();
        EXPECT_EQ(m["interval"].is_null() || m["interval"] == 1, true) << m.dump();
    }

    // The machine page of the hostile-looking identifier: escaped, with its charts' page.
    auto machine = browser.get("/dashboard/machine/" + kHostileId);
    ASSERT_EQ(machine.status(), 200) << machine.response->body.substr(0, 500);
    EXPECT_NE(machine.response->body.find("<strong>" + kHostileId + "</strong>"),
              std::string::npos);
    EXPECT_NE(machine.response->body.find("id=\"download-report\""), std::string::npos);
    EXPECT_EQ(browser.get("/dashboard/machine/..%2Fetc").status(), 404);
    EXPECT_EQ(browser.get("/dashboard/machine/web-01?window=2y").status(), 400);

    // Downloads for a window: the collection lines and a report without the banner.
    const auto range = "since=" + std::to_string(std::time(nullptr) - 600) +
                       "&until=" + std::to_string(std::time(nullptr) + 5);
    auto collection = browser.get("/dashboard/machine/web-01/collection.json?" + range);
    ASSERT_EQ(collection.status(), 200);
    EXPECT_NE(collection.response->header("Content-Disposition").value_or("").find("attachment"),
              std::string::npos);
    EXPECT_NE(collection.response->body.find("\"subsystem\":\"/proc/stat\""), std::string::npos);
    auto report = browser.get("/dashboard/machine/web-01/report.html?" + range);
    ASSERT_EQ(report.status(), 200);
    EXPECT_NE(report.response->body.find("<html"), std::string::npos);
    EXPECT_EQ(report.response->body.find("pcd-banner"), std::string::npos);

    // Sign-out ends the session on the server: the old cookie gets nothing any more.
    const std::string old_cookie = browser.cookie;
    auto out = browser.post_form("/dashboard/signout", "");
    EXPECT_EQ(out.status(), 303);
    EXPECT_NE(out.response->header("Set-Cookie").value_or("").find("Max-Age=0"), std::string::npos);
    Browser replay(server.pcd);
    replay.cookie = old_cookie;
    EXPECT_EQ(replay.get("/dashboard/fleet.json").status(), 401);
    EXPECT_EQ(replay.get("/dashboard/machine/web-01").status(), 303);

    web.stop();
    hostile.stop();
    EXPECT_EQ(server.pcd.logs().find(server.admin_key), std::string::npos) << "admin key in log";
    EXPECT_NE(server.pcd.logs().find("refused a machine API key"), std::string::npos)
        << server.pcd.logs();
}

TEST(DashboardHttp, RemovingAnAdminKeyEndsItsSessionsAfterReload) {
    DashboardPcd server;
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    const std::string kept_key = "admin-" + pc::keys::generate_api_key();
    server.write_admin_keys({server.admin_key, kept_key});
    server.pcd.signal(SIGHUP);
    Browser removed(server.pcd), kept(server.pcd);
    // The reload happens on pcd's signal thread: the second key signs in once it is done.
    ASSERT_TRUE(wait_until([&] { return kept.sign_in(kept_key).status() == 303; }, 15s))
        << server.pcd.logs();
    ASSERT_EQ(removed.sign_in(server.admin_key).status(), 303);
    ASSERT_EQ(removed.get("/dashboard/fleet.json").status(), 200);
    ASSERT_EQ(kept.get("/dashboard/fleet.json").status(), 200);

    // The first key leaves the file: after the reload its session gets nothing.
    server.write_admin_keys({kept_key});
    server.pcd.signal(SIGHUP);
    ASSERT_TRUE(
        wait_until([&] { return removed.get("/dashboard/fleet.json").status() == 401; }, 15s))
        << server.pcd.logs();
    auto page = removed.get("/");
    ASSERT_EQ(page.status(), 200);
    EXPECT_NE(page.response->body.find("action=\"/dashboard/signin\""), std::string::npos)
        << "the sign-in page, not the fleet";
    EXPECT_EQ(removed.get("/dashboard/machine/web-01").status(), 303);
    EXPECT_EQ(removed.sign_in(server.admin_key).status(), 401) << "the key itself is refused";

    // The other key's session lives on.
    EXPECT_EQ(kept.get("/dashboard/fleet.json").status(), 200);
    auto fleet_page = kept.get("/");
    ASSERT_EQ(fleet_page.status(), 200);
    EXPECT_NE(fleet_page.response->body.find("id=\"fleet-rows\""), std::string::npos);
    const auto logs = server.pcd.logs();
    EXPECT_NE(logs.find("session(s) of removed admin keys"), std::string::npos) << logs;
    EXPECT_EQ(logs.find(server.admin_key), std::string::npos) << "admin key in log";
    EXPECT_EQ(logs.find(kept_key), std::string::npos) << "admin key in log";
}

TEST(DashboardHttp, CookieIsSecureUnderTls) {
    pc::test::TempDir work;
    if (!make_self_signed(work / "cert.pem", work / "key.pem"))
        GTEST_SKIP() << "openssl CLI not available (scripts/setup installs it)";
    DashboardPcd server;
    server.pcd.use_tls(work / "cert.pem", work / "key.pem");
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    Browser browser(server.pcd, (work / "cert.pem").string());
    auto r = browser.sign_in(server.admin_key);
    ASSERT_EQ(r.status(), 303) << r.error;
    const auto cookie = r.response->header("Set-Cookie").value_or("");
    EXPECT_NE(cookie.find("; Secure"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << "default 12h: " << cookie;
    EXPECT_EQ(browser.get("/dashboard/fleet.json").status(), 200);
}

TEST(DashboardHttp, OffMeansNoDashboard) {
    DashboardPcd server(std::map<std::string, std::string>{{"PCD_DASHBOARD", "off"}});
    ASSERT_TRUE(server.pcd.start()) << server.pcd.logs();
    Browser browser(server.pcd);
    EXPECT_EQ(browser.get("/").status(), 404);
    EXPECT_EQ(browser.sign_in(server.admin_key).status(), 404);
    EXPECT_EQ(browser.get("/dashboard/fleet.json").status(), 404);
}
