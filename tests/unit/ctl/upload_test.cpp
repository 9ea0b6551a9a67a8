#include "pc/ctl/upload.hpp"

#include <gtest/gtest.h>

#include "fake_portal.hpp"
#include "pc/core/error.hpp"
#include "test_support.hpp"

namespace {

using namespace std::chrono_literals;
using pc::ctl::UploadVerdict;

TEST(Upload, StatusClassificationFollowsTheContract) {
    EXPECT_EQ(pc::ctl::classify_upload_status(200), UploadVerdict::success);
    EXPECT_EQ(pc::ctl::classify_upload_status(201), UploadVerdict::success);
    EXPECT_EQ(pc::ctl::classify_upload_status(0), UploadVerdict::retry);
    EXPECT_EQ(pc::ctl::classify_upload_status(429), UploadVerdict::retry);
    EXPECT_EQ(pc::ctl::classify_upload_status(500), UploadVerdict::retry);
    EXPECT_EQ(pc::ctl::classify_upload_status(503), UploadVerdict::retry);
    for (int s : {400, 401, 403, 404, 409, 413, 422}) {
        EXPECT_EQ(pc::ctl::classify_upload_status(s), UploadVerdict::fail) << s;
    }
}

TEST(Upload, DelaysDoubleFromFiveSecondsUpToSixty) {
    auto d = pc::ctl::upload_retry_delays(6, 5s, 60s);
    std::vector<std::chrono::milliseconds> want{5s, 10s, 20s, 40s, 60s, 60s};
    EXPECT_EQ(d, want);
    EXPECT_TRUE(pc::ctl::upload_retry_delays(0, 5s, 60s).empty());
}

TEST(Upload, ResponseParsing) {
    pc::ctl::UploadOutcome ok;
    pc::ctl::parse_upload_response(201, R"({"upload_id":"u-7","rows_imported":42})", ok);
    EXPECT_TRUE(ok.ok);
    EXPECT_EQ(ok.upload_id, "u-7");
    EXPECT_EQ(ok.rows_imported, 42);

    pc::ctl::UploadOutcome bad;
    pc::ctl::parse_upload_response(400, R"({"error_code":"bad_csv","message":"no header"})", bad);
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.error_code, "bad_csv");
    EXPECT_EQ(bad.message, "no header");

    pc::ctl::UploadOutcome html;
    pc::ctl::parse_upload_response(502, "<html>\nBad Gateway\n</html>", html);
    EXPECT_EQ(html.error_code, "http_502");
    EXPECT_EQ(html.message, "<html> Bad Gateway </html>");
}

struct UploadFixture : ::testing::Test {
    pc::test::TempDir dir;
    pc::test::FakePortal portal{"portal-secret-key"};
    std::vector<std::chrono::milliseconds> slept;
    pc::ctl::Sleeper sleeper = [this](std::chrono::milliseconds d) { slept.push_back(d); };
    pc::ctl::UploadConfig config;
    std::filesystem::path csv;

    void SetUp() override {
        config.url = portal.url();
        config.apikey = "portal-secret-key";
        config.tenant_id = "tenant-9";
        config.machine_id = "vm-01";
        config.timeout = 5s;
        csv = dir / "perf.csv";
        pc::test::write_file(csv, "timestamp,cpu_user\n1767800521,1.5\n1767800526,2.5\n");
    }
};

TEST_F(UploadFixture, SendsTheFieldsAndTheBearerToken) {
    auto outcome = pc::ctl::upload_csv(config, csv, sleeper);
    ASSERT_TRUE(outcome.ok) << outcome.error_code << " " << outcome.message;
    EXPECT_EQ(outcome.upload_id, "up-1");
    EXPECT_EQ(outcome.rows_imported, 2);
    EXPECT_EQ(outcome.attempts, 1);
    auto got = portal.received();
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].authorization, "Bearer portal-secret-key");
    EXPECT_EQ(got[0].machine_id, "vm-01");
    EXPECT_EQ(got[0].tenant_id, "tenant-9");
    EXPECT_EQ(got[0].filename, "perf.csv");
    EXPECT_EQ(got[0].file_content, pc::test::read_file(csv));
    EXPECT_TRUE(slept.empty());
}

TEST_F(UploadFixture, RetriesServerErrorsWithTheDocumentedBackoff) {
    portal.inject({503, R"({"error_code":"busy","message":"try later"})"});
    portal.inject({429, R"({"error_code":"rate_limited","message":"slow down"})"});
    portal.inject({500, "oops"});
    auto outcome = pc::ctl::upload_csv(config, csv, sleeper);
    EXPECT_TRUE(outcome.ok);
    EXPECT_EQ(outcome.attempts, 4);
    std::vector<std::chrono::milliseconds> want{5s, 10s, 20s};
    EXPECT_EQ(slept, want);
}

TEST_F(UploadFixture, GivesUpAfterRetryMax) {
    config.retry_max = 2;
    for (int i = 0; i < 5; ++i) portal.inject({503, R"({"error_code":"busy","message":"x"})"});
    auto outcome = pc::ctl::upload_csv(config, csv, sleeper);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.attempts, 3);
    EXPECT_EQ(outcome.status, 503);
    EXPECT_EQ(outcome.error_code, "busy");
    EXPECT_EQ(portal.received().size(), 3u);
}

TEST_F(UploadFixture, NeverRetriesOtherClientErrors) {
    config.apikey = "wrong-key";
    auto outcome = pc::ctl::upload_csv(config, csv, sleeper);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.status, 401);
    EXPECT_EQ(outcome.error_code, "unauthorized");
    EXPECT_EQ(outcome.attempts, 1);
    EXPECT_TRUE(slept.empty());

    config.apikey = "portal-secret-key";
    pc::test::write_file(csv, "timestamp,cpu_user\n");
    outcome = pc::ctl::upload_csv(config, csv, sleeper);
    EXPECT_EQ(outcome.status, 422);
    EXPECT_EQ(outcome.error_code, "invalid_csv");
    EXPECT_EQ(outcome.message, "the CSV has no data rows");
    EXPECT_EQ(outcome.attempts, 1);
}

TEST_F(UploadFixture, RetriesNetworkErrors) {
    config.url = "http://127.0.0.1:" + std::to_string(pc::test::pick_free_port());
    config.retry_max = 2;
    auto outcome = pc::ctl::upload_csv(config, csv, sleeper);
    EXPECT_FALSE(outcome.ok);
    EXPECT_EQ(outcome.status, 0);
    EXPECT_EQ(outcome.error_code, "network_error");
    EXPECT_EQ(outcome.attempts, 3);
    EXPECT_EQ(slept.size(), 2u);
}

TEST_F(UploadFixture, MissingConfigurationNamesTheVariable) {
    auto expect_error = [&](pc::ctl::UploadConfig c, const std::string& needle) {
        try {
            pc::ctl::upload_csv(c, csv, sleeper);
            FAIL() << "expected UserError mentioning " << needle;
        } catch (const pc::core::UserError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    auto c = config;
    c.url.clear();
    expect_error(c, "XATBACKEND_URL");
    c = config;
    c.apikey.clear();
    expect_error(c, "XATBACKEND_APIKEY");
    c = config;
    c.tenant_id.clear();
    expect_error(c, "TENANT_ID");
    c = config;
    c.machine_id.clear();
    expect_error(c, "MACHINE_ID");
    c = config;
    c.url = "ftp://portal";
    expect_error(c, "XATBACKEND_URL");
    pc::test::write_file(csv, "");
    expect_error(config, "empty");
    EXPECT_TRUE(portal.received().empty());
}

}  // namespace
