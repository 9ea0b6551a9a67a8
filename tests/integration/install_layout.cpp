// `cmake --install` of the real build tree into temporary prefixes and DESTDIRs: the layout
// (binaries, documentation, systemd units, /etc/default files), the paths written into the
// units, and `systemd-analyze verify` on the installed units.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using pc::test::read_file;
using pc::test::run;
using pc::test::TempDir;

namespace {

const std::vector<std::string> kBinaries = {"pcc", "pcd", "pcprocess", "pcctl"};
const std::vector<std::string> kUnits = {"pcd.service", "pcc.service", "pcc-periodic.service",
                                         "pcc.timer"};

fs::path build_dir() {
    return pc::test::bin_dir().parent_path();
}

// The cmake that configured the build tree (CMakeCache.txt), so the install runs the same one.
std::string cmake_command() {
    std::istringstream cache(read_file(build_dir() / "CMakeCache.txt"));
    const std::string key = "CMAKE_COMMAND:INTERNAL=";
    for (std::string line; std::getline(cache, line);) {
        if (line.rfind(key, 0) == 0) return line.substr(key.size());
    }
    return "/usr/bin/cmake";
}

std::optional<fs::path> find_in_path(const std::string& name) {
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
        if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    }
    return std::nullopt;
}

void install(const fs::path& prefix, const std::map<std::string, std::string>& env = {}) {
    auto r = run({cmake_command(), "--install", build_dir().string(), "--prefix", prefix.string()},
                 env, 120s);
    ASSERT_EQ(r.exit_code, 0) << "cmake --install failed\nstdout:\n"
                              << r.out << "\nstderr:\n"
                              << r.err;
}

// Unit file as "Section.Key" -> values in order (keys may repeat).
std::map<std::string, std::vector<std::string>> parse_unit(const fs::path& file) {
    std::map<std::string, std::vector<std::string>> keys;
    std::istringstream in(read_file(file));
    std::string section;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#' || line[0] == ';') continue;
        if (line.front() == '[' && line.back() == ']') {
            section = line.substr(1, line.size() - 2);
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        keys[section + "." + line.substr(0, eq)].push_back(line.substr(eq + 1));
    }
    return keys;
}

std::string one(const std::map<std::string, std::vector<std::string>>& unit,
                const std::string& key) {
    auto it = unit.find(key);
    if (it == unit.end() || it->second.empty()) return "<missing>";
    return it->second.back();
}

bool is_executable_file(const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & S_IXUSR) &&
           (st.st_mode & S_IXOTH);
}

unsigned file_mode(const fs::path& p) {
    struct stat st {};
    EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
    return st.st_mode & 07777;
}

// Runs `systemd-analyze verify` on the units in `dir`. It exits 0 even for unknown keys or
// unparsable values (it only warns), so any diagnostic naming one of our units is a failure.
void expect_units_verify(const fs::path& dir) {
    auto analyze = find_in_path("systemd-analyze");
    if (!analyze)
        GTEST_SKIP()
            << "systemd-analyze not installed (Debian package systemd): units not verified";
    std::vector<std::string> argv = {analyze->string(), "verify"};
    for (const auto& u : kUnits) argv.push_back((dir / u).string());
    auto r = run(argv, {{"SYSTEMD_LOG_COLOR", "0"}}, 60s);
    EXPECT_EQ(r.exit_code, 0) << "systemd-analyze verify failed:\n" << r.err << r.out;
    std::istringstream err(r.err + r.out);
    for (std::string line; std::getline(err, line);) {
        for (const auto& u : kUnits) {
            EXPECT_EQ(line.find(u), std::string::npos) << "systemd-analyze verify: " << line;
        }
    }
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
    for (size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size()) {
        s.replace(pos, from.size(), to);
    }
}

}  // namespace

TEST(InstallLayout, PrefixInstallHasBinariesDocsUnitsAndEnvironmentFiles) {
    TempDir tmp;
    const fs::path prefix = tmp / "prefix";
    install(prefix);
    if (HasFatalFailure()) return;

    for (const auto& b : kBinaries) {
        const fs::path exe = prefix / "bin" / b;
        ASSERT_TRUE(is_executable_file(exe)) << exe << " missing or not executable by everyone";
        auto r = run({exe.string(), "--version"}, {}, 10s);
        EXPECT_EQ(r.exit_code, 0) << exe << " --version: " << r.err;
    }

    // pcc's TLS module, loaded with dlopen for https (docs/trickle.md).
    EXPECT_TRUE(fs::is_regular_file(prefix / "lib/perfcollector/libpc_tls.so"));

    // The container collector is pcc under another name (docs/pcc.md).
    EXPECT_EQ(fs::read_symlink(prefix / "bin/pcc-container-linux"), fs::path("pcc"));
    auto cc = run({(prefix / "bin/pcc-container-linux").string(), "--version"}, {}, 10s);
    EXPECT_EQ(cc.exit_code, 0) << cc.err;
    EXPECT_NE(cc.out.find("pcc-container-linux"), std::string::npos) << cc.out;

    const fs::path doc = prefix / "share/doc/perfcollector";
    EXPECT_TRUE(fs::is_regular_file(doc / "README.md"));
    EXPECT_TRUE(fs::is_regular_file(doc / "LICENSE"));
    EXPECT_TRUE(fs::is_regular_file(doc / "copyright"));
    EXPECT_TRUE(fs::is_regular_file(doc / "changelog.gz"));
    for (const auto& b : kBinaries) {
        EXPECT_EQ(read_file(prefix / "share/bash-completion/completions" / b),
                  read_file(pc::test::source_dir() / "packaging/bash-completion" / b));
        // Without help2man the build has no man pages (cmake/ManPages.cmake warns).
        if (fs::exists(build_dir() / "man")) {
            EXPECT_TRUE(fs::is_regular_file(prefix / "share/man/man1" / (b + ".1.gz"))) << b;
        }
    }
    size_t docs = 0;
    for (const auto& e : fs::directory_iterator(pc::test::source_dir() / "docs")) {
        if (e.path().extension() != ".md") continue;
        ++docs;
        EXPECT_EQ(read_file(doc / e.path().filename()), read_file(e.path()))
            << "docs/" << e.path().filename().string() << " not installed as is";
    }
    EXPECT_GT(docs, 0u);
    for (const auto& name : {"pcd", "pcc"}) {
        EXPECT_EQ(read_file(doc / "examples/default" / name),
                  read_file(pc::test::source_dir() / "packaging/default" / name));
        EXPECT_EQ(read_file(prefix / "etc/default" / name),
                  read_file(pc::test::source_dir() / "packaging/default" / name));
    }
    // It may hold PCC_APIKEY.
    EXPECT_EQ(file_mode(prefix / "etc/default/pcc"), 0600u);
    // The service runs until stopped, one collection file per day (issue 17).
    const std::string defaults = read_file(prefix / "etc/default/pcc");
    for (const char* line : {"\nPCC_DURATION=forever\n", "\nPCC_ROTATE=daily\n", "\nPCC_KEEP=7\n"})
        EXPECT_NE(defaults.find(line), std::string::npos) << line;

    const fs::path units = prefix / "lib/systemd/system";
    for (const auto& u : kUnits) ASSERT_TRUE(fs::is_regular_file(units / u)) << u;

    // The units name the files where this install put them.
    auto pcd = parse_unit(units / "pcd.service");
    EXPECT_EQ(one(pcd, "Service.ExecStart"), (prefix / "bin/pcd").string());
    EXPECT_EQ(one(pcd, "Service.EnvironmentFile"), "-" + (prefix / "etc/default/pcd").string());
    auto pcc = parse_unit(units / "pcc.service");
    EXPECT_EQ(one(pcc, "Service.ExecStart"), (prefix / "bin/pcc").string());
    EXPECT_EQ(one(pcc, "Service.EnvironmentFile"), (prefix / "etc/default/pcc").string());
    EXPECT_EQ(one(pcc, "Unit.Documentation"), "file://" + (doc / "operations.md").string());

    expect_units_verify(units);
}

TEST(InstallLayout, UnitsCarryTheRequiredServiceSettings) {
    TempDir tmp;
    const fs::path prefix = tmp / "p";
    install(prefix);
    if (HasFatalFailure()) return;
    const fs::path units = prefix / "lib/systemd/system";

    auto pcd = parse_unit(units / "pcd.service");
    const std::map<std::string, std::string> pcd_expected = {
        {"Service.User", "pcd"},
        {"Service.Group", "pcd"},
        {"Service.StateDirectory", "pcd"},
        {"Service.Environment", "PCD_HOME=/var/lib/pcd"},
        {"Service.ExecReload", "/bin/kill -HUP $MAINPID"},
        {"Service.LimitNOFILE", "65536"},
        {"Service.Restart", "on-failure"},
        {"Service.NoNewPrivileges", "yes"},
        {"Service.ProtectSystem", "strict"},
        {"Service.ProtectHome", "yes"},
        {"Service.PrivateTmp", "yes"},
        {"Service.ReadWritePaths", "/var/lib/pcd"},
        {"Install.WantedBy", "multi-user.target"},
    };
    for (const auto& [key, value] : pcd_expected)
        EXPECT_EQ(one(pcd, key), value) << "pcd.service " << key;
    EXPECT_EQ(pcd["Service.ReadWritePaths"].size(), 1u) << "pcd may write only its state directory";

    auto pcc = parse_unit(units / "pcc.service");
    EXPECT_EQ(one(pcc, "Service.Restart"), "on-failure");
    // Ticks left in the spool when the service is stopped are sent by the next start.
    EXPECT_EQ(one(pcc, "Service.SuccessExitStatus"), "4");
    EXPECT_EQ(one(pcc, "Service.NoNewPrivileges"), "yes");
    // Hardening must not change what pcc measures.
    for (const auto& key :
         {"Service.PrivateNetwork", "Service.ProcSubset", "Service.PrivateDevices"}) {
        EXPECT_EQ(pcc.count(key), 0u) << "pcc.service must not set " << key;
    }
    EXPECT_NE(one(pcc, "Service.ProtectHome"), "yes") << "an empty /home would falsify its statfs";

    auto timer = parse_unit(units / "pcc.timer");
    EXPECT_EQ(one(timer, "Timer.Unit"), "pcc-periodic.service");
    EXPECT_NE(one(timer, "Timer.OnCalendar"), "<missing>");
    EXPECT_EQ(one(timer, "Install.WantedBy"), "timers.target");
}

// The periodic unit's shell line, run as systemd would run it (after undoing systemd's $$
// and %% escapes) with env(1) standing in for pcc: each run gets its own collection file and
// PCC_PERIODIC_DURATION replaces PCC_DURATION.
TEST(InstallLayout, PeriodicRunGetsItsOwnFileAndDuration) {
    TempDir tmp;
    const fs::path prefix = tmp / "p";
    install(prefix);
    if (HasFatalFailure()) return;
    auto unit = parse_unit(prefix / "lib/systemd/system/pcc-periodic.service");
    std::string exec = one(unit, "Service.ExecStart");
    const std::string head = "/bin/sh -c '";
    ASSERT_EQ(exec.rfind(head, 0), 0u) << exec;
    ASSERT_EQ(exec.back(), '\'');
    std::string script = exec.substr(head.size(), exec.size() - head.size() - 1);
    replace_all(script, "$$", "$");
    replace_all(script, "%%", "%");
    const std::string pcc_path = (prefix / "bin/pcc").string();
    ASSERT_NE(script.find("exec " + pcc_path), std::string::npos) << script;
    replace_all(script, "exec " + pcc_path, "exec /usr/bin/env");

    auto with = run({"/bin/sh", "-c", script},
                    {{"PCC_PERIODIC_DURATION", "15m"}, {"PCC_DURATION", "8760h"}}, 10s);
    ASSERT_EQ(with.exit_code, 0) << with.err;
    EXPECT_NE(with.out.find("\nPCC_DURATION=15m\n"), std::string::npos) << with.out;
    EXPECT_NE(with.out.find("\nPCC_ROTATE=never\n"), std::string::npos) << with.out;
    std::smatch m;
    const std::regex file_re(R"(\nPCC_COLLECTION=/var/lib/pcc/periodic/pcc-\d{8}T\d{6}Z\.json\n)");
    EXPECT_TRUE(std::regex_search(with.out, m, file_re)) << with.out;

    ::unsetenv("PCC_PERIODIC_DURATION");
    auto without = run({"/bin/sh", "-c", script}, {}, 10s);
    ASSERT_EQ(without.exit_code, 0) << without.err;
    EXPECT_NE(without.out.find("\nPCC_DURATION=1h\n"), std::string::npos) << without.out;
}

// What the .deb holds: DESTDIR + /usr prefix -> /usr/bin, /usr/share/doc/perfcollector,
// /usr/lib/systemd/system, /etc/default; the units name /usr/bin and /etc/default.
TEST(InstallLayout, DestdirWithUsrPrefixIsThePackageLayout) {
    TempDir tmp;
    const fs::path destdir = tmp / "root";
    install("/usr", {{"DESTDIR", destdir.string()}});
    if (HasFatalFailure()) return;

    for (const auto& b : kBinaries) EXPECT_TRUE(is_executable_file(destdir / "usr/bin" / b)) << b;
    EXPECT_EQ(fs::read_symlink(destdir / "usr/bin/pcc-container-linux"), fs::path("pcc"));
    EXPECT_TRUE(fs::is_regular_file(destdir / "usr/lib/perfcollector/libpc_tls.so"));
    EXPECT_TRUE(fs::is_regular_file(destdir / "usr/share/doc/perfcollector/README.md"));
    EXPECT_TRUE(fs::is_regular_file(destdir / "etc/default/pcd"));
    EXPECT_TRUE(fs::is_regular_file(destdir / "etc/default/pcc"));
    EXPECT_FALSE(fs::exists(destdir / "usr/etc")) << "the /usr prefix keeps configuration in /etc";

    const fs::path units = destdir / "usr/lib/systemd/system";
    auto pcd = parse_unit(units / "pcd.service");
    EXPECT_EQ(one(pcd, "Service.ExecStart"), "/usr/bin/pcd");
    EXPECT_EQ(one(pcd, "Service.EnvironmentFile"), "-/etc/default/pcd");
    auto pcc = parse_unit(units / "pcc.service");
    EXPECT_EQ(one(pcc, "Service.ExecStart"), "/usr/bin/pcc");
    EXPECT_EQ(one(pcc, "Service.EnvironmentFile"), "/etc/default/pcc");
    EXPECT_EQ(one(pcc, "Unit.Documentation"), "file:///usr/share/doc/perfcollector/operations.md");

    // verify needs the ExecStart binaries to exist: point copies of the units at the DESTDIR.
    const fs::path copies = tmp / "verify";
    fs::create_directories(copies);
    for (const auto& u : kUnits) {
        std::string text = read_file(units / u);
        replace_all(text, "/usr/bin/", (destdir / "usr/bin").string() + "/");
        replace_all(text, "/etc/default/", (destdir / "etc/default").string() + "/");
        pc::test::write_file(copies / u, text);
    }
    expect_units_verify(copies);
}

// Reinstalling (an upgrade by hand) never replaces an administrator's environment file.
TEST(InstallLayout, ExistingEnvironmentFileIsKept) {
    TempDir tmp;
    const fs::path prefix = tmp / "p";
    install(prefix);
    if (HasFatalFailure()) return;
    const std::string edited = "PCC_MODE=trickle\nPCC_APIKEY=edited-by-the-administrator\n";
    pc::test::write_file(prefix / "etc/default/pcc", edited);
    install(prefix);
    if (HasFatalFailure()) return;
    EXPECT_EQ(read_file(prefix / "etc/default/pcc"), edited);
    EXPECT_TRUE(fs::is_regular_file(prefix / "share/doc/perfcollector/examples/default/pcc"));
}

// The installed pcc finds its TLS module next to its bin directory for an https server, and
// says so in one line, naming the file, when the module is missing.
TEST(InstallLayout, InstalledPccLoadsItsTlsModuleOnlyForHttps) {
    TempDir tmp;
    const fs::path prefix = tmp / "p";
    install(prefix);
    if (HasFatalFailure()) return;
    const fs::path module = prefix / "lib/perfcollector/libpc_tls.so";
    ASSERT_TRUE(fs::is_regular_file(module));
    const int port = pc::test::pick_free_port();  // nothing listens: every request fails
    auto env_for = [&](const std::string& scheme) {
        return std::map<std::string, std::string>{
            {"PCC_MODE", "trickle"},
            {"PCC_SERVER_URL", scheme + "://127.0.0.1:" + std::to_string(port)},
            {"PCC_APIKEY", "install-test-key-0123456789"},
            {"PCC_IDENTIFIER", "install-test"},
            {"PCC_PROCROOT", (pc::test::source_dir() / "testdata/procroot-vm2cpu").string()},
            {"PCC_SUBSYSTEMS", "/proc/loadavg"},
            {"PCC_FREQUENCY", "1s"},
            {"PCC_DURATION", "1s"},
            {"PCC_DRAIN_TIMEOUT", "1s"},
            {"PCC_SPOOL", (tmp / ("spool-" + scheme)).string()}};
    };
    const std::string pcc = (prefix / "bin/pcc").string();

    // Nothing listens there: the tick stays in the spool, which pcc's status says (4).
    auto with_module = run({pcc}, env_for("https"), 30s);
    EXPECT_EQ(with_module.exit_code, 4) << with_module.err;
    EXPECT_NE(with_module.err.find("cannot connect"), std::string::npos) << with_module.err;
    EXPECT_EQ(with_module.err.find("TLS module"), std::string::npos) << with_module.err;

    fs::remove(module);
    auto without = run({pcc}, env_for("https"), 30s);
    EXPECT_EQ(without.exit_code, 1) << without.err;
    EXPECT_NE(without.err.find("cannot load the TLS module " + module.string()), std::string::npos)
        << without.err;
    // The fatal error is pcc's last line, one line naming the file and the fix.
    const std::string err = without.err.substr(0, without.err.find_last_not_of('\n') + 1);
    const std::string last = err.substr(err.find_last_of('\n') + 1);
    EXPECT_EQ(last.rfind("pcc: cannot load the TLS module", 0), 0u) << without.err;
    EXPECT_NE(last.find("http://"), std::string::npos) << last;

    // Plain http never needs it.
    auto plain = run({pcc}, env_for("http"), 30s);
    EXPECT_EQ(plain.exit_code, 4) << plain.err;
    EXPECT_EQ(plain.err.find("TLS module"), std::string::npos) << plain.err;
}
