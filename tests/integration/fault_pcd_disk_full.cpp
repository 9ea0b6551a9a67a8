// pcd's data directory fills up (a small tmpfs when running as root; RLIMIT_FSIZE too):
// pcd answers 5xx without acknowledging, keeps running, recovers when space
// returns, and nothing it acknowledged is lost or torn. (A read-only remount is refused by
// the kernel while pcd holds its files open for writing, so read-only is not simulated.)
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <set>
#include <sstream>

#include "fault_support.hpp"

namespace {

using namespace pc::fault;
namespace test = pc::test;

// Batches of ~16 KiB: a few dozen fill the small filesystem.
constexpr std::size_t kMeasurementBytes = 4096;

struct Episode {
    std::set<std::int64_t> acknowledged;  // tick timestamps answered 200
    int refusals = 0;
};

int post_batch(Pcd& pcd, std::int64_t ts) {
    auto body =
        trickle_body("full-host", make_tick(ts, kMeasurementBytes), "batch-" + std::to_string(ts));
    return status_of(post_trickle(pcd.port, pcd.agent_key, body));
}

// Posts batches until pcd refuses (bounded), then a few more while it is still full.
void fill_until_refused(Pcd& pcd, std::int64_t& ts, Episode& e, const std::string& what) {
    int status = 200;
    for (int i = 0; i < 400 && status == 200; ++i) {
        status = post_batch(pcd, ts);
        if (status == 200) e.acknowledged.insert(ts);
        ++ts;
    }
    ASSERT_TRUE(pcd.running()) << what << ": pcd died (SIGXFSZ not ignored?):\n"
                               << pcd.err_so_far();
    ASSERT_GE(status, 500) << what << ": expected a 5xx once the disk is full, got " << status;
    ++e.refusals;
    for (int i = 0; i < 3; ++i) {
        int again = post_batch(pcd, ts - 1);  // the same batch, retried by its agent
        EXPECT_GE(again, 500) << what;
        ++e.refusals;
    }
    ASSERT_TRUE(pcd.running()) << what << ": pcd died:\n" << pcd.err_so_far();
    --ts;  // the refused batch is sent again once space returns
}

void recover_and_check(Pcd& pcd, std::int64_t& ts, Episode& e, const std::string& what) {
    // The refused batch goes through now, and new ones after it.
    bool ok = wait_until([&] { return post_batch(pcd, ts) == 200; }, 20s, 250ms);
    ASSERT_TRUE(ok) << what << ": pcd did not recover:\n" << pcd.err_so_far();
    e.acknowledged.insert(ts++);
    for (int i = 0; i < 3; ++i, ++ts) {
        ASSERT_EQ(post_batch(pcd, ts), 200) << what;
        e.acknowledged.insert(ts);
    }
}

void check_stored(Pcd& pcd, const Episode& e, const std::string& what) {
    auto c = read_collection(pcd.file_for("full-host"));
    EXPECT_EQ(c.malformed, 0u) << what << ": torn or damaged lines stored";
    EXPECT_EQ(c.truncated, 0u) << what;
    std::map<std::int64_t, int> per_tick;
    for (const auto& r : c.records) ++per_tick[r.timestamp];
    for (auto ts : e.acknowledged) {
        EXPECT_EQ(per_tick[ts], 4) << what << ": acknowledged tick " << ts << " lost or doubled";
    }
    for (const auto& [ts, n] : per_tick) {
        EXPECT_TRUE(e.acknowledged.count(ts))
            << what << ": unacknowledged tick " << ts << " stored";
    }
    std::cout << "[fault] " << what << ": " << e.acknowledged.size() << " batches acknowledged, "
              << e.refusals << " refused with 5xx, 0 acknowledged lost\n";
}

// Mounted for the test's lifetime (lazy unmount at the end).
struct Tmpfs {
    fs::path at;
    bool mounted = false;
    Tmpfs(fs::path where, const std::string& size) : at(std::move(where)) {
        mounted =
            ::mount("tmpfs", at.c_str(), "tmpfs", 0, ("size=" + size + ",mode=0700").c_str()) == 0;
    }
    bool remount(const std::string& options) {
        return ::mount("tmpfs", at.c_str(), "tmpfs", MS_REMOUNT, options.c_str()) == 0;
    }
    ~Tmpfs() {
        if (mounted) ::umount2(at.c_str(), MNT_DETACH);
    }
};

TEST(FaultPcdDiskFull, SmallFilesystemFillsAndRecovers) {
    Pcd pcd;
    Tmpfs tmpfs(pcd.data_dir(), "400k");
    if (!tmpfs.mounted) GTEST_SKIP() << "cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN)";
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();
    std::int64_t ts = 1700000000;
    Episode e;
    fill_until_refused(pcd, ts, e, "tmpfs full");
    if (HasFatalFailure()) return;
    auto episode_log = pcd.err_so_far();
    ASSERT_TRUE(tmpfs.remount("size=16m"));
    recover_and_check(pcd, ts, e, "tmpfs full");
    if (HasFatalFailure()) return;

    pcd.stop();
    check_stored(pcd, e, "tmpfs full");
    // Logged, but not once per refused request.
    std::size_t lines = 0;
    std::istringstream log(episode_log);
    for (std::string line; std::getline(log, line);) {
        lines += line.find(" warning ") != std::string::npos ||
                 line.find(" error ") != std::string::npos;
    }
    std::cout << "[fault] pcd logged " << lines << " warnings/errors for " << e.refusals
              << " refused requests in the full-disk episode\n";
    EXPECT_LT(lines, static_cast<std::size_t>(e.refusals)) << "logged once per refused request:\n"
                                                           << episode_log;
    // And the store reopens cleanly on what is there.
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();
    EXPECT_TRUE(pcd.serves_ok("full-host", ts + 100));
    pcd.stop();
}

TEST(FaultPcdDiskFull, FileSizeLimitIsRefusedAndRecovers) {
    if (!fs::exists("/usr/bin/prlimit")) GTEST_SKIP() << "prlimit (util-linux) not installed";
    // Soft limit only, so it can be raised again from outside ("space returns").
    constexpr rlim_t kLimit = 200 * 1024;
    Pcd pcd({}, {"/usr/bin/prlimit", "--fsize=" + std::to_string(kLimit) + ":unlimited", "--"});
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();
    std::int64_t ts = 1700000000;
    Episode e;
    fill_until_refused(pcd, ts, e, "RLIMIT_FSIZE");
    if (HasFatalFailure()) return;
    rlimit unlimited{RLIM_INFINITY, RLIM_INFINITY};
    ASSERT_EQ(::prlimit(pcd.pid(), RLIMIT_FSIZE, &unlimited, nullptr), 0);
    recover_and_check(pcd, ts, e, "RLIMIT_FSIZE");
    if (HasFatalFailure()) return;
    pcd.stop();
    check_stored(pcd, e, "RLIMIT_FSIZE");
}

}  // namespace
