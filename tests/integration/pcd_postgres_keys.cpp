// Keys in the database and moving data between stores, with the real binaries on a throw-away
// PostgreSQL (tests/support/postgres_server.hpp): `pcctl apikey generate --store URI` once and
// two pcd replicas accept the key (each refreshes every PCD_KEYS_REFRESH), removal makes both
// refuse it, SIGHUP refreshes at once, a database admin key works on the admin API and signs in
// to the dashboard; pcctl's errors for a database it cannot reach and a malformed URI; and
// `pcctl store copy` from files to the database and back, the collection the same bytes, and a
// copy SIGKILLed midway and run again: everything stored once.
#include <gtest/gtest.h>

#include "dashboard_support.hpp"
#include "pc/api/trickle.hpp"
#include "pc/store/file_store.hpp"
#include "postgres_server.hpp"

using namespace pc::trickle_it;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

std::string unique_database() {
    static int n = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("k_") + info->name() + std::to_string(++n);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return PostgresEnvironment::server().create_database(name.substr(0, 60));
}

pc::test::ProcessResult pcctl(const std::vector<std::string>& args,
                              std::map<std::string, std::string> env = {}) {
    std::vector<std::string> argv{(pc::test::bin_dir() / "pcctl").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    return pc::test::run(argv, env, 60s);
}

std::string first_line(const std::string& text) {
    return text.substr(0, text.find('\n'));
}

// A replica on `uri` whose only keys are in the database (no key files at all).
std::unique_ptr<Pcd> replica(const pc::test::TempDir& dir, const std::string& uri,
                             const std::string& refresh) {
    auto pcd = std::make_unique<Pcd>();
    pcd->set_env("PCD_APIKEYS_FILE", (dir / "no-apikeys").string());
    pcd->set_env("PCD_ADMINKEYS_FILE", (dir / "no-adminkeys").string());
    pcd->set_env("PCD_STORE", uri);
    pcd->set_env("PCD_STORE_POOL", "4");
    pcd->set_env("PCD_THREADS", "4");
    pcd->set_env("PCD_KEYS_REFRESH", refresh);
    return pcd;
}

// The status of a one-record trickle with `key`: 200 stored, 401 unknown key.
int trickle_status(const Pcd& pcd, const std::string& key) {
    static int tick = 0;
    pc::api::TrickleRequest request{
        "key-probe",
        {{1700000000 + (++tick), "/proc/loadavg", "0.00 0.01 0.05 1/100 42\n"}},
        std::nullopt};
    pc::client::HttpClientOptions options;
    options.connect_timeout = options.read_timeout = 5s;
    pc::client::HttpClient client(pc::client::parse_base_url(pcd.url()), options);
    auto answer = client.post(pc::api::kRouteTrickle, pc::api::encode_trickle_request(request),
                              "application/json", {{"apikey", key}});
    return answer.status();
}

bool both(const Pcd& one, const Pcd& two, const std::string& key, int status) {
    return trickle_status(one, key) == status && trickle_status(two, key) == status;
}

// The 64-hex fingerprint prefix pcctl printed on stderr: "(fingerprint <12 hex>)".
std::string fingerprint_in(const std::string& err) {
    const auto at = err.find("(fingerprint ");
    return at == std::string::npos ? "" : err.substr(at + 13, 12);
}

}  // namespace

TEST(PcdPostgresKeys, AKeyAddedOnceReachesEveryReplicaAndRemovalReachesThemToo) {
    pc::test::TempDir dir;
    const auto uri = unique_database();
    auto one = replica(dir, uri, "200ms");
    auto two = replica(dir, uri, "200ms");
    ASSERT_TRUE(one->start()) << one->logs();
    ASSERT_TRUE(two->start()) << two->logs();

    // PCD_STORE in the environment is enough: what an operator on a replica host has set.
    auto generated = pcctl({"apikey", "generate", "--identifier", "key-*"}, {{"PCD_STORE", uri}});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    const std::string key = first_line(generated.out);
    ASSERT_EQ(key.size(), 43u) << generated.out;
    const std::string fingerprint = fingerprint_in(generated.err);
    ASSERT_EQ(fingerprint.size(), 12u) << generated.err;
    EXPECT_TRUE(wait_until([&] { return both(*one, *two, key, 200); }, 30s))
        << one->logs() << two->logs();

    auto listed = pcctl({"apikey", "list", "--store", uri, "--json"});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_NE(listed.out.find(fingerprint), std::string::npos) << listed.out;
    EXPECT_NE(listed.out.find("key-*"), std::string::npos) << listed.out;
    EXPECT_EQ(listed.out.find(key), std::string::npos) << "never the key";

    auto removed = pcctl({"apikey", "remove", fingerprint, "--store", uri});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_TRUE(wait_until([&] { return both(*one, *two, key, 401); }, 30s))
        << one->logs() << two->logs();
    for (const Pcd* pcd : {one.get(), two.get()}) {
        const auto logs = pcd->logs();
        EXPECT_NE(logs.find("database keys: 1 API key(s), 0 admin key(s)"), std::string::npos)
            << logs;
        EXPECT_EQ(logs.find(key), std::string::npos) << "never the key in pcd's log";
    }
}

TEST(PcdPostgresKeys, SighupRefreshesAtOnceAndADatabaseAdminKeyIsAnAdmin) {
    pc::test::TempDir dir;
    const auto uri = unique_database();
    auto one = replica(dir, uri, "off");
    auto two = replica(dir, uri, "off");
    ASSERT_TRUE(one->start()) << one->logs();
    ASSERT_TRUE(two->start()) << two->logs();

    auto generated = pcctl({"apikey", "generate", "--store", uri});
    ASSERT_EQ(generated.exit_code, 0) << generated.err;
    const std::string key = first_line(generated.out);
    // No timer: nothing changes until SIGHUP.
    EXPECT_TRUE(both(*one, *two, key, 401));
    one->send_signal(SIGHUP);
    two->send_signal(SIGHUP);
    EXPECT_TRUE(wait_until([&] { return both(*one, *two, key, 200); }, 30s))
        << one->logs() << two->logs();

    auto admin = pcctl({"apikey", "generate", "--admin", "--store", uri});
    ASSERT_EQ(admin.exit_code, 0) << admin.err;
    const std::string admin_key = first_line(admin.out);
    one->send_signal(SIGHUP);
    two->send_signal(SIGHUP);
    for (const Pcd* pcd : {one.get(), two.get()}) {
        EXPECT_TRUE(wait_until(
            [&] {
                return pcctl({"machines", "--json"},
                             {{"PCC_SERVER_URL", pcd->url()}, {"PCCTL_ADMINKEY", admin_key}})
                           .exit_code == 0;
            },
            30s))
            << pcd->logs();
        pc::dashboard_it::Browser browser(*pcd);
        browser.sign_in(admin_key);
        EXPECT_FALSE(browser.cookie.empty()) << "the dashboard signs a database admin in";
        pc::dashboard_it::Browser machine(*pcd);
        machine.sign_in(key);
        EXPECT_TRUE(machine.cookie.empty()) << "a machine key is no admin";
    }

    // Removed and SIGHUP: refused at once by both.
    auto removed =
        pcctl({"apikey", "remove", "--admin", fingerprint_in(admin.err), "--store", uri});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    one->send_signal(SIGHUP);
    two->send_signal(SIGHUP);
    for (const Pcd* pcd : {one.get(), two.get()}) {
        EXPECT_TRUE(wait_until(
            [&] {
                return pcctl({"machines"},
                             {{"PCC_SERVER_URL", pcd->url()}, {"PCCTL_ADMINKEY", admin_key}})
                           .exit_code != 0;
            },
            30s));
    }
}

TEST(PcdPostgresKeys, PcctlSaysOnceWhatIsWrongWithTheDatabase) {
    // Nothing listens there; the password must not appear anywhere.
    const std::string down =
        "postgresql://pcd:hunter2-secret@127.0.0.1:" + std::to_string(pc::test::pick_free_port()) +
        "/pcd?connect_timeout=3";
    auto r = pcctl({"apikey", "generate", "--store", down});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.out, "") << "no key printed when it could not be stored";
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("cannot use the store database postgresql://pcd@127.0.0.1"),
              std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;

    r = pcctl({"apikey", "list"}, {{"PCD_STORE", "postgresql://pcd:hunter2-secret@[bad"}});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    EXPECT_NE(r.err.find("PCD_STORE"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;

    // The flag wins over the variable: --store file works on the key files.
    pc::test::TempDir home;
    r = pcctl({"apikey", "generate", "--store", "file", "--home", home.path().string()},
              {{"PCD_STORE", down}});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(std::filesystem::exists(home / "apikeys"));
}

TEST(PcdPostgresKeys, StoreCopyFromFilesToTheDatabaseAndBackKeepsTheBytes) {
    pc::test::TempDir work;
    auto env = pcc_env(work.path(), 6);
    env["PCC_MODE"] = "local";
    ASSERT_EQ(pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s).exit_code, 0);
    const std::string original = pc::test::read_file(work / "pcc.json");

    // A file-store pcd receives the collection, then stops (copying from a live file store
    // is refused in the docs: its files are pcd's alone while it runs).
    Pcd files;
    ASSERT_TRUE(files.start()) << files.logs();
    const auto replayed = pcctl({"replay", (work / "pcc.json").string(), "--identifier", "moved-01",
                                 "--batch-ticks", "2", "--state", (work / "state").string()},
                                {{"PCC_SERVER_URL", files.url()}, {"PCC_APIKEY", files.agent_key}});
    ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
    ASSERT_TRUE(files.stop()) << files.logs();

    const auto uri = unique_database();
    auto copied = pcctl({"store", "copy", "--from", files.data_dir().string(), "--to", uri});
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
    EXPECT_NE(copied.err.find("store copy: [1/1] moved-01"), std::string::npos) << copied.err;
    EXPECT_NE(copied.out.find("moved-01"), std::string::npos) << copied.out;
    // Run again: nothing more to copy, nothing doubled.
    copied = pcctl({"store", "copy", "--from", files.data_dir().string(), "--to", uri, "--json"});
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
    EXPECT_NE(copied.out.find("\"copied\":0"), std::string::npos) << copied.out;

    // A pcd on the database serves the same bytes.
    pc::test::TempDir dir;
    auto pg = replica(dir, uri, "30s");
    const std::string admin_key = "admin-" + pc::keys::generate_api_key();
    pc::keys::write_key_file(dir / "adminkeys", {admin_key});
    pg->set_env("PCD_ADMINKEYS_FILE", (dir / "adminkeys").string());
    ASSERT_TRUE(pg->start()) << pg->logs();
    auto fetched = pcctl({"fetch", "moved-01", "-o", (work / "fetched.json").string()},
                         {{"PCC_SERVER_URL", pg->url()}, {"PCCTL_ADMINKEY", admin_key}});
    ASSERT_EQ(fetched.exit_code, 0) << fetched.err;
    EXPECT_EQ(pc::test::read_file(work / "fetched.json"), original);

    // And back into a new data directory: the collection file is the original's bytes.
    copied = pcctl({"store", "copy", "--from", uri, "--to", (work / "back").string(),
                    "--identifier", "moved-*"});
    ASSERT_EQ(copied.exit_code, 0) << copied.err;
    EXPECT_EQ(pc::test::read_file(work / "back" / "moved-01.json"), original);

    // Copying a store onto itself is refused.
    auto self = pcctl({"store", "copy", "--from", uri, "--to", uri});
    EXPECT_EQ(self.exit_code, 2) << self.err;
    EXPECT_NE(self.err.find("same store"), std::string::npos) << self.err;
    self = pcctl({"store", "copy", "--from", (work / "back").string(), "--to",
                  (work / "back" / ".." / "back").string()});
    EXPECT_EQ(self.exit_code, 2) << self.err;
}

TEST(PcdPostgresKeys, AStoreCopyKilledMidwayAndRunAgainStoresEverythingOnce) {
    pc::test::TempDir work;
    constexpr int kMachines = 400;
    constexpr int kRecords = 40;
    {
        pc::store::FileStore files(pc::store::StoreOptions{work / "data", 1024});
        for (int m = 0; m < kMachines; ++m) {
            std::vector<pc::record::Record> batch;
            for (int r = 0; r < kRecords; ++r) {
                batch.push_back({1700000000 + r / 2, r % 2 ? "/proc/stat" : "/proc/meminfo",
                                 "machine " + std::to_string(m) + " line " + std::to_string(r)});
            }
            ASSERT_EQ(files.append("m-" + std::to_string(m), batch, "b").status,
                      pc::store::AppendOutcome::Status::stored);
        }
    }
    const auto uri = unique_database();
    const auto db = uri.substr(uri.rfind('/') + 1);
    const std::vector<std::string> argv{(pc::test::bin_dir() / "pcctl").string(),
                                        "store",
                                        "copy",
                                        "--from",
                                        (work / "data").string(),
                                        "--to",
                                        uri};
    {
        pc::test::Child copy(argv);
        ASSERT_TRUE(copy.wait_for_err("store copy: [40/400]", 60s)) << copy.err_so_far();
        copy.signal(SIGKILL);
        const auto killed = copy.wait(30s);
        ASSERT_EQ(killed.term_signal, SIGKILL) << "the copy ended before it was killed";
    }
    auto& server = PostgresEnvironment::server();
    const long partial = std::stol(server.query("SELECT count(*) FROM machines", db));
    EXPECT_GE(partial, 39);
    EXPECT_LT(partial, kMachines);
    const auto again = pc::test::run(argv, {}, 120s);
    ASSERT_EQ(again.exit_code, 0) << again.err;
    EXPECT_NE(again.err.find("400 machine(s) copied and checked"), std::string::npos) << again.err;
    EXPECT_EQ(server.query("SELECT count(*) FROM machines", db), std::to_string(kMachines));
    EXPECT_EQ(server.query("SELECT sum(records) FROM batches", db),
              std::to_string(kMachines * kRecords));
    EXPECT_EQ(server.query(
                  "SELECT count(*) FROM machines WHERE records <> " + std::to_string(kRecords), db),
              "0");
}
