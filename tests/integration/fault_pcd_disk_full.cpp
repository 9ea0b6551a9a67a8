// pcd's data directory fills up (a small tmpfs when running as root; RLIMIT_FSIZE too) or
// becomes read-only (root): pcd answers 5xx without acknowledging, keeps running, logs the
// outage once, recovers when storage returns, and nothing it acknowledged is lost or torn.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include <cerrno>
#include <cstring>
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

std::string post_batch_as(Pcd& pcd, const std::string& id, std::int64_t ts,
                          std::size_t bytes = kMeasurementBytes) {
    auto body = trickle_body(id, make_tick(ts, bytes), "batch-" + std::to_string(ts));
    return post_trickle(pcd.port, pcd.agent_key, body);
}

int post_batch(Pcd& pcd, std::int64_t ts) {
    return status_of(post_batch_as(pcd, "full-host", ts));
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

void check_stored(Pcd& pcd, const Episode& e, const std::string& what,
                  const std::string& id = "full-host") {
    auto c = read_collection(pcd.file_for(id));
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

std::size_t count_lines_with(const std::string& log, std::string_view needle) {
    std::size_t n = 0;
    std::istringstream in(log);
    for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
    return n;
}

// pcd's log of one outage: one line when it starts and one when it ends (naming the refused
// writes), nothing per refused request.
void check_logged_once(const std::string& log, int refusals, const std::string& what) {
    EXPECT_EQ(count_lines_with(log, "until storage recovers"), 1u)
        << what << ": want exactly one outage-start line:\n"
        << log;
    EXPECT_EQ(count_lines_with(
                  log, "storage recovered after " + std::to_string(refusals) + " failed write(s)"),
              1u)
        << what << ": want exactly one outage-end line counting " << refusals << " refusals:\n"
        << log;
    EXPECT_EQ(count_lines_with(log, "storage recovered"), 1u) << what << ":\n" << log;
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
    EXPECT_EQ(count_lines_with(episode_log, "storage recovered"), 0u) << episode_log;
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
    check_logged_once(pcd.logs, e.refusals, "tmpfs full");
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
    check_logged_once(pcd.logs, e.refusals, "RLIMIT_FSIZE");
}

// The data directory made read-only under a running pcd. A plain `mount -o remount,ro` of the
// tmpfs fails with EBUSY while pcd holds its collection and commit log files open for writing,
// so the directory is bind-mounted onto itself and that new mount, which has no writers yet, is
// remounted read-only: every file pcd opens by path from then on is refused with EROFS, as on
// a read-only filesystem, through pcd's real create path. Descriptors pcd opened before stay on
// the tmpfs underneath and writable, so the machine refused is one whose files pcd has to
// create.
struct ReadOnlyBind {
    fs::path at;
    bool mounted = false;
    std::string error;
    explicit ReadOnlyBind(fs::path where) : at(std::move(where)) {
        mounted = ::mount(at.c_str(), at.c_str(), nullptr, MS_BIND, nullptr) == 0;
        if (!mounted) error = std::strerror(errno);
    }
    bool set_read_only(bool ro) {
        unsigned long flags = MS_REMOUNT | MS_BIND | (ro ? MS_RDONLY : 0);
        if (::mount(nullptr, at.c_str(), nullptr, flags, nullptr) == 0) return true;
        error = std::strerror(errno);
        return false;
    }
    ~ReadOnlyBind() {
        if (mounted) ::umount2(at.c_str(), MNT_DETACH);
    }
};

TEST(FaultPcdDiskFull, ReadOnlyDataDirectoryIsRefusedAndRecovers) {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root: mounts a tmpfs and a read-only bind mount for pcd's data "
                        "directory (CI runs as root)";
    }
    // 200 batches at once are more than the rate limit's burst.
    Pcd pcd(std::map<std::string, std::string>{{"PCD_RATELIMIT", "0"}});
    Tmpfs tmpfs(pcd.data_dir(), "64m");
    if (!tmpfs.mounted)
        GTEST_SKIP() << "cannot mount a tmpfs here (needs CAP_SYS_ADMIN, e.g. root outside a "
                        "container); the RLIMIT_FSIZE and unit tests still cover the outage";
    ASSERT_TRUE(pcd.start()) << pcd.err_so_far();
    constexpr std::size_t kBytes = 512;
    std::int64_t ts = 1700000000;
    Episode before;  // "ro-old": stored before the outage
    for (int i = 0; i < 200; ++i, ++ts) {
        ASSERT_EQ(status_of(post_batch_as(pcd, "ro-old", ts, kBytes)), 200) << "batch " << i;
        before.acknowledged.insert(ts);
    }

    ReadOnlyBind bind(pcd.data_dir());
    ASSERT_TRUE(bind.mounted) << "bind mount of the data directory: " << bind.error;
    ASSERT_TRUE(bind.set_read_only(true)) << "remount,bind,ro: " << bind.error;
    ASSERT_FALSE(std::ofstream(pcd.data_dir() / "probe")) << "the data directory is still writable";
    const auto files = snapshot(pcd.data_dir());

    // A new machine trickles: refused with 503 and Retry-After, the same batch resent three
    // times as its agent would, while pcd keeps answering /health.
    Episode during;  // "ro-new"
    const std::int64_t refused_ts = ts;
    for (int i = 0; i < 4; ++i) {
        auto response = post_batch_as(pcd, "ro-new", refused_ts, kBytes);
        EXPECT_EQ(status_of(response), 503) << response;
        EXPECT_NE(response.find("Retry-After: "), std::string::npos) << response;
        EXPECT_EQ(response.find("X-PCD-Batch"), std::string::npos) << "acknowledged:\n" << response;
        ++during.refusals;
        EXPECT_EQ(status_of(raw_exchange(pcd.port, http_request("GET", "/health", {}, ""), 5s)),
                  200)
            << "pcd stopped answering /health during the outage";
    }
    ASSERT_TRUE(pcd.running()) << pcd.err_so_far();
    EXPECT_EQ(snapshot(pcd.data_dir()), files) << "a refused batch changed the data directory";
    const auto outage_log = pcd.err_so_far();
    EXPECT_EQ(count_lines_with(outage_log, "until storage recovers"), 1u) << outage_log;
    EXPECT_NE(outage_log.find("Read-only file system"), std::string::npos) << outage_log;
    EXPECT_EQ(count_lines_with(outage_log, "storage recovered"), 0u) << outage_log;

    ASSERT_TRUE(bind.set_read_only(false)) << "remount,bind,rw: " << bind.error;
    auto resent = post_batch_as(pcd, "ro-new", refused_ts, kBytes);
    ASSERT_EQ(status_of(resent), 200) << "the refused batch was not accepted after recovery:\n"
                                      << resent << pcd.err_so_far();
    during.acknowledged.insert(ts++);
    for (int i = 0; i < 3; ++i, ++ts) {
        ASSERT_EQ(status_of(post_batch_as(pcd, "ro-new", ts, kBytes)), 200);
        during.acknowledged.insert(ts);
        ASSERT_EQ(status_of(post_batch_as(pcd, "ro-old", ts, kBytes)), 200);
        before.acknowledged.insert(ts);
    }
    pcd.stop();
    check_stored(pcd, before, "read-only (machine stored before)", "ro-old");
    check_stored(pcd, during, "read-only (machine refused)", "ro-new");
    check_logged_once(pcd.logs, during.refusals, "read-only");
}

}  // namespace
