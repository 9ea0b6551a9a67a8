// pcd on PostgreSQL with the real binaries: two replicas over one throw-away database
// (tests/support/postgres_server.hpp, one per run of this executable), agents trickling at 1 s.
// A replica SIGKILLed and restarted, the database stopped and started again: every tick stored
// exactly once, byte for byte as local mode writes it; pcctl fetch gives the same bytes from
// either replica and from a file-store pcd; replicas starting at once on an empty database
// both come up. Agents listing both replicas in PCC_SERVER_URL move to the other when theirs
// is SIGKILLed, and back, storing every tick once.
#include <gtest/gtest.h>

#include "pc/api/health.hpp"
#include "pc/store/pg_schema.hpp"
#include "postgres_server.hpp"
#include "trickle_support.hpp"

using namespace pc::trickle_it;
using pc::test::PostgresEnvironment;

namespace {

const auto* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(std::make_unique<PostgresEnvironment>().release());

// The keys every replica shares, in one directory.
struct SharedKeys {
    SharedKeys() {
        agent = "agent-" + pc::keys::generate_api_key();
        admin = "admin-" + pc::keys::generate_api_key();
        pc::keys::write_key_file(dir / "apikeys", {agent});
        pc::keys::write_key_file(dir / "adminkeys", {admin});
    }
    pc::test::TempDir dir;
    std::string agent;
    std::string admin;
};

// pcd with the shared keys on `store` ("file": its own data directory).
std::unique_ptr<Pcd> replica(const SharedKeys& keys, const std::string& store) {
    auto pcd = std::make_unique<Pcd>();
    pcd->agent_key = keys.agent;
    pcd->set_env("PCD_APIKEYS_FILE", (keys.dir / "apikeys").string());
    pcd->set_env("PCD_ADMINKEYS_FILE", (keys.dir / "adminkeys").string());
    pcd->set_env("PCD_STORE", store);
    pcd->set_env("PCD_STORE_POOL", "8");
    pcd->set_env("PCD_THREADS", "8");
    return pcd;
}

// `pcctl fetch` of one machine from one pcd: the bytes it wrote.
std::string fetch(const Pcd& pcd, const SharedKeys& keys, const std::string& id) {
    pc::test::TempDir out;
    const auto r = pc::test::run(
        {(pc::test::bin_dir() / "pcctl").string(), "fetch", id, "-o", (out / "c.json").string()},
        {{"PCC_SERVER_URL", pcd.url()}, {"PCCTL_ADMINKEY", keys.admin}}, 60s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.exit_code == 0 ? pc::test::read_file(out / "c.json") : "";
}

std::optional<pc::api::Health> health(const Pcd& pcd) {
    pc::client::HttpClientOptions options;
    options.connect_timeout = options.read_timeout = 5s;
    pc::client::HttpClient client(pc::client::parse_base_url(pcd.url()), options);
    auto answer = client.get("/health");
    if (answer.status() != 200) return std::nullopt;
    return pc::api::decode_health(answer.response->body);
}

struct Agent {
    std::string identifier;
    pc::test::TempDir work;
    std::unique_ptr<pc::test::Child> pcc;
};

// `count` agents for `seconds` at 1 s, agent i on urls[i % urls.size()].
std::vector<std::unique_ptr<Agent>> start_agents(std::size_t count, int seconds,
                                                 const std::vector<std::string>& urls,
                                                 const std::string& key) {
    std::vector<std::unique_ptr<Agent>> agents;
    for (std::size_t i = 0; i < count; ++i) {
        auto a = std::make_unique<Agent>();
        a->identifier = "pg-agent-" + std::to_string(i);
        auto env = trickle_env(a->work.path(), seconds, urls[i % urls.size()], key);
        env["PCC_IDENTIFIER"] = a->identifier;
        env["PCC_BATCH_MAX"] = "1";
        env["PCC_DRAIN_TIMEOUT"] = "40s";
        a->pcc = start_pcc(env);
        agents.push_back(std::move(a));
    }
    return agents;
}

// Waits for every agent and checks that each of its ticks is stored once, as local mode writes
// it, and that both replicas serve the same bytes.
void expect_every_tick_once(std::vector<std::unique_ptr<Agent>>& agents, const Pcd& one,
                            const Pcd& two, const SharedKeys& keys,
                            const std::vector<TickLines>& local) {
    for (auto& a : agents) {
        const auto r = a->pcc->wait(90s);
        ASSERT_EQ(r.exit_code, 0) << a->identifier << ":\n" << r.err;
        const auto ticks = ticks_reported(r.err);
        ASSERT_TRUE(ticks) << r.err;
        const std::string stored = fetch(one, keys, a->identifier);
        EXPECT_TRUE(stored_exactly(stored, local, *ticks)) << a->identifier << "\n" << r.err;
        EXPECT_EQ(fetch(two, keys, a->identifier), stored) << a->identifier;
    }
}

std::string unique_database() {
    static int n = 0;
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string("it_") + info->name() + std::to_string(++n);
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return PostgresEnvironment::server().create_database(name.substr(0, 60));
}

}  // namespace

TEST(PcdPostgres, TwoReplicasStartingAtOnceOnAnEmptyDatabaseBothComeUp) {
    const auto uri = unique_database();
    SharedKeys keys;
    auto one = replica(keys, uri);
    auto two = replica(keys, uri);
    // start() waits for /health: start both before waiting on either.
    std::thread first([&] { EXPECT_TRUE(one->start()) << one->logs(); });
    EXPECT_TRUE(two->start()) << two->logs();
    first.join();
    const auto versions = PostgresEnvironment::server().query("SELECT count(*) FROM schema_version",
                                                              uri.substr(uri.rfind('/') + 1));
    EXPECT_EQ(versions, std::to_string(pc::store::latest_schema_version()));
    const auto logs = one->logs() + two->logs();
    EXPECT_NE(logs.find("store: PostgreSQL postgresql://postgres@127.0.0.1"), std::string::npos)
        << logs;
}

TEST(PcdPostgres, AReplicaKilledAndRestartedWhileAgentsTrickleLosesAndDoublesNothing) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    const auto uri = unique_database();
    SharedKeys keys;
    auto one = replica(keys, uri);
    auto two = replica(keys, uri);
    ASSERT_TRUE(one->start()) << one->logs();
    ASSERT_TRUE(two->start()) << two->logs();
    auto agents = start_agents(4, 10, {one->url(), two->url()}, keys.agent);
    // Kill replica two once its agents' first ticks are in the database.
    ASSERT_TRUE(wait_until(
        [&] {
            return PostgresEnvironment::server().query(
                       "SELECT count(*) FROM machines WHERE records > 0",
                       uri.substr(uri.rfind('/') + 1)) == "4";
        },
        30s));
    two->kill_hard();
    ASSERT_TRUE(agents[1]->pcc->wait_for_err("cannot connect", 20s))
        << agents[1]->pcc->err_so_far();
    ASSERT_TRUE(two->start()) << two->logs();
    expect_every_tick_once(agents, *one, *two, keys, local);
}

TEST(PcdPostgres, AgentsListingBothReplicasMoveOnWhenTheirsIsKilledAndStoreEveryTickOnce) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    auto& server = PostgresEnvironment::server();
    const auto uri = unique_database();
    const auto db = uri.substr(uri.rfind('/') + 1);
    SharedKeys keys;
    auto one = replica(keys, uri);
    auto two = replica(keys, uri);
    ASSERT_TRUE(one->start()) << one->logs();
    ASSERT_TRUE(two->start()) << two->logs();
    // Agents 0 and 2 use replica two first, 1 and 3 replica one; each lists both. 20 s of ticks:
    // room for both kills and restarts on a slow (sanitized) build.
    auto agents = start_agents(
        4, 20, {two->url() + "," + one->url(), one->url() + "," + two->url()}, keys.agent);
    auto records = [&](std::size_t agent) {
        const auto n = server.query(
            "SELECT records FROM machines WHERE identifier = '" + agents[agent]->identifier + "'",
            db);
        return n.empty() ? 0L : std::stol(n);
    };
    // Kill the replica an agent uses: it moves to the other and its ticks keep arriving.
    auto kill_and_follow = [&](Pcd& victim, const Pcd& survivor, std::size_t agent) {
        ASSERT_TRUE(wait_until([&] { return records(agent) > 0; }, 30s));
        victim.kill_hard();
        const long at_kill = records(agent);
        EXPECT_TRUE(agents[agent]->pcc->wait_for_err("sending to " + survivor.url(), 30s))
            << agents[agent]->pcc->err_so_far();
        EXPECT_TRUE(wait_until([&] { return records(agent) > at_kill; }, 30s))
            << agents[agent]->pcc->err_so_far();
        ASSERT_TRUE(victim.start()) << victim.logs();
    };
    kill_and_follow(*two, *one, 0);
    kill_and_follow(*one, *two, 1);
    expect_every_tick_once(agents, *one, *two, keys, local);
    // Counted in the database too: one row per (machine, tick) timestamp, none twice.
    EXPECT_EQ(server.query("SELECT count(*) FROM (SELECT machine, first_timestamp FROM batches "
                           "GROUP BY 1, 2 HAVING count(*) > 1) d",
                           db),
              "0");
}

TEST(PcdPostgres, TheDatabaseStoppedMidRunLosesAndDoublesNothing) {
    pc::test::TempDir work;
    const auto local = local_reference(work / "local");
    auto& server = PostgresEnvironment::server();
    const auto uri = unique_database();
    const auto db = uri.substr(uri.rfind('/') + 1);
    SharedKeys keys;
    auto one = replica(keys, uri);
    auto two = replica(keys, uri);
    ASSERT_TRUE(one->start()) << one->logs();
    ASSERT_TRUE(two->start()) << two->logs();
    auto agents = start_agents(4, 16, {one->url(), two->url()}, keys.agent);
    ASSERT_TRUE(wait_until(
        [&] { return server.query("SELECT count(*) FROM machines WHERE records > 0", db) == "4"; },
        30s));
    server.stop();
    // Down until both replicas have refused batches for a while (~10 s of ticks): 503 with
    // Retry-After, /health degraded with the reason, the failures counted.
    std::optional<pc::api::Health> seen;
    EXPECT_TRUE(wait_until(
        [&] {
            auto a = health(*one);
            auto b = health(*two);
            if (!a || !b) return false;
            seen = a;
            return a->status == "degraded" && b->status == "degraded" &&
                   a->store_failures + b->store_failures >= 8;
        },
        40s))
        << (seen ? pc::api::encode_health(*seen) : "no health") << one->logs();
    ASSERT_TRUE(seen);
    EXPECT_NE(seen->reason.find("database is unavailable"), std::string::npos) << seen->reason;
    server.start();
    EXPECT_TRUE(wait_until(
        [&] {
            auto a = health(*one);
            return a && a->status == "ok";
        },
        30s));
    expect_every_tick_once(agents, *one, *two, keys, local);
    EXPECT_NE(one->logs().find("the database is back"), std::string::npos) << one->logs();
}

TEST(PcdPostgres, FetchGivesTheSameBytesAsTheFileStore) {
    pc::test::TempDir work;
    // One collection, replayed into a file-store pcd and a PostgreSQL one, fetched back.
    auto env = pcc_env(work.path(), 6);
    env["PCC_MODE"] = "local";
    ASSERT_EQ(pc::test::run({(pc::test::bin_dir() / "pcc").string()}, env, 60s).exit_code, 0);
    SharedKeys keys;
    auto files = replica(keys, "file");
    auto pg = replica(keys, unique_database());
    ASSERT_TRUE(files->start()) << files->logs();
    ASSERT_TRUE(pg->start()) << pg->logs();
    for (const Pcd* pcd : {files.get(), pg.get()}) {
        const auto r = pc::test::run(
            {(pc::test::bin_dir() / "pcctl").string(), "replay", (work / "pcc.json").string(),
             "--identifier", "same-bytes", "--batch-ticks", "2", "--state",
             (work / ("state-" + std::to_string(pcd->port))).string()},
            {{"PCC_SERVER_URL", pcd->url()}, {"PCC_APIKEY", keys.agent}}, 60s);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    const auto from_files = fetch(*files, keys, "same-bytes");
    EXPECT_EQ(from_files, pc::test::read_file(work / "pcc.json"));
    EXPECT_EQ(fetch(*pg, keys, "same-bytes"), from_files);
}
