// pcctl upload against an in-test portal implementing the upload contract (docs/pcctl.md).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "../unit/ctl/fake_portal.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using pc::test::FakePortal;

constexpr const char* kPortalKey = "portal-secret-key-123";

struct PcctlUpload : ::testing::Test {
    pc::test::TempDir dir;
    FakePortal portal{kPortalKey};
    std::filesystem::path csv = dir / "portal.csv";

    void SetUp() override {
        pc::test::write_file(csv,
                             "timestamp,cpu_user,cpu_system\n"
                             "1767800526,1.5,0.5\n1767800531,2.0,0.7\n1767800536,1.1,0.2\n");
    }
    std::map<std::string, std::string> env() const {
        return {{"XATBACKEND_URL", portal.url()},
                {"XATBACKEND_APIKEY", kPortalKey},
                {"XATBACKEND_TENANT_ID", "tenant-42"},
                {"MACHINE_ID", "vm-07"},
                {"UPLOAD_RETRY_BASE", "50ms"},
                {"PCCTL_LOGLEVEL", "debug"}};  // each attempt on stderr: a hang shows where
    }
    pc::test::ProcessResult upload(std::map<std::string, std::string> e,
                                   std::vector<std::string> extra = {}) {
        std::vector<std::string> argv{(pc::test::bin_dir() / "pcctl").string(), "upload",
                                      csv.string()};
        argv.insert(argv.end(), extra.begin(), extra.end());
        return pc::test::run(argv, e, 30s);
    }
};

TEST_F(PcctlUpload, SuccessPrintsUploadIdAndRows) {
    auto r = upload(env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("upload_id up-1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("rows imported 3"), std::string::npos) << r.out;
    auto got = portal.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].authorization, std::string("Bearer ") + kPortalKey);
    EXPECT_NE(got[0].content_type.find("multipart/form-data"), std::string::npos);
    EXPECT_EQ(got[0].machine_id, "vm-07");
    EXPECT_EQ(got[0].tenant_id, "tenant-42");
    EXPECT_EQ(got[0].filename, "portal.csv");
    EXPECT_EQ(got[0].file_content, pc::test::read_file(csv));
}

TEST_F(PcctlUpload, TenantIdFallbackFlagsWinAndJsonOutput) {
    auto e = env();
    e.erase("XATBACKEND_TENANT_ID");
    e["TENANT_ID"] = "tenant-from-fallback";
    auto r = upload(e, {"--machine-id", "vm-flag", "--json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["ok"], true);
    EXPECT_EQ(j["upload_id"], "up-1");
    EXPECT_EQ(j["rows_imported"], 3);
    auto got = portal.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].tenant_id, "tenant-from-fallback");
    EXPECT_EQ(got[0].machine_id, "vm-flag");
}

TEST_F(PcctlUpload, ClientErrorIsFinalAndReported) {
    auto e = env();
    e["XATBACKEND_APIKEY"] = "not-the-portal-key";
    auto r = upload(e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(portal.received().size(), 1u);  // 401 is never retried
    EXPECT_NE(r.err.find("unauthorized"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("invalid or missing API key"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("HTTP 401"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("not-the-portal-key"), std::string::npos) << "key leaked: " << r.err;

    pc::test::write_file(csv, "timestamp,cpu_user\n");
    r = upload(env(), {"--json"});
    EXPECT_EQ(r.exit_code, 1);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["ok"], false);
    EXPECT_EQ(j["status"], 422);
    EXPECT_EQ(j["error_code"], "invalid_csv");
    EXPECT_EQ(j["message"], "the CSV has no data rows");
    EXPECT_EQ(portal.received().size(), 2u);
}

TEST_F(PcctlUpload, ServerErrorsAndRateLimitsAreRetried) {
    portal.inject({503, R"({"error_code":"maintenance","message":"back soon"})"});
    portal.inject({429, R"({"error_code":"rate_limited","message":"slow down"})"});
    auto r = upload(env());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(portal.received().size(), 3u);
    EXPECT_NE(r.out.find("upload_id up-3"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("retrying"), std::string::npos) << r.err;
}

TEST_F(PcctlUpload, GivesUpAfterUploadRetryMax) {
    for (int i = 0; i < 4; ++i) portal.inject({500, R"({"error_code":"db","message":"down"})"});
    auto e = env();
    e["UPLOAD_RETRY_MAX"] = "1";
    auto r = upload(e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(portal.received().size(), 2u);
    EXPECT_NE(r.err.find("after 2 attempts"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("error_code db: down"), std::string::npos) << r.err;
}

TEST_F(PcctlUpload, SlowResponseTimesOutAndIsRetried) {
    portal.inject({200, R"({"upload_id":"late","rows_imported":3})", 1500ms});
    auto e = env();
    e["UPLOAD_TIMEOUT"] = "300ms";
    auto r = upload(e);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(portal.received().size(), 2u);
    EXPECT_NE(r.out.find("upload_id up-2"), std::string::npos) << r.out;
}

TEST_F(PcctlUpload, UnreachablePortalFailsAfterRetries) {
    auto e = env();
    e["XATBACKEND_URL"] = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    e["UPLOAD_RETRY_MAX"] = "2";
    auto r = upload(e);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("after 3 attempts"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("network_error"), std::string::npos) << r.err;
}

TEST_F(PcctlUpload, MissingSettingsAreNamed) {
    for (const char* var : {"XATBACKEND_URL", "XATBACKEND_APIKEY", "MACHINE_ID"}) {
        auto e = env();
        e[var] = "";
        auto r = upload(e);
        EXPECT_EQ(r.exit_code, 1) << var;
        EXPECT_NE(r.err.find(var), std::string::npos) << r.err;
    }
    auto e = env();
    e["UPLOAD_TIMEOUT"] = "soon";
    auto r = upload(e);
    EXPECT_EQ(r.exit_code, 2) << "a value that cannot be read is a usage error";
    EXPECT_NE(r.err.find("UPLOAD_TIMEOUT"), std::string::npos) << r.err;
    r = pc::test::run(
        {(pc::test::bin_dir() / "pcctl").string(), "upload", (dir / "missing.csv").string()}, env(),
        30s);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
    EXPECT_TRUE(portal.received().empty());
}

}  // namespace
