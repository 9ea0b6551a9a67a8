// The .deb's postinst, run with stand-ins for the commands that change the system (getent,
// groupadd, useradd, install, systemctl, deb-systemd-invoke/-helper): it creates the pcd group,
// user and /var/lib/pcd once, is idempotent, and never touches key files.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include "test_support.hpp"

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using pc::test::read_file;
using pc::test::run;
using pc::test::TempDir;
using pc::test::write_file;

namespace {

// Each stand-in logs its argv to calls.log; getent finds "pcd" once groupadd/useradd made it.
class FakeSystem {
public:
    FakeSystem() {
        fs::create_directories(tmp_ / "bin");
        const std::string log = (tmp_ / "calls.log").string();
        const std::string made = (tmp_ / "made-").string();
        stub("getent", "echo \"getent $*\" >> " + log + "\n[ -e " + made + "$1 ] || exit 2\n");
        stub("groupadd", "echo \"groupadd $*\" >> " + log + "\ntouch " + made + "group\n");
        stub("useradd", "echo \"useradd $*\" >> " + log + "\ntouch " + made + "passwd\n");
        stub("install", "echo \"install $*\" >> " + log + "\n");
        stub("systemctl", "echo \"systemctl $*\" >> " + log + "\nexit 3\n");
        stub("deb-systemd-invoke", "echo \"deb-systemd-invoke $*\" >> " + log + "\n");
        stub("deb-systemd-helper", "echo \"deb-systemd-helper $*\" >> " + log + "\n");
        stub("chmod", "echo \"chmod $*\" >> " + log + "\n");
        stub("chown", "echo \"chown $*\" >> " + log + "\n");
        stub("rm", "echo \"rm $*\" >> " + log + "\n");
    }

    pc::test::ProcessResult postinst(const std::string& previous_version) {
        const fs::path script = pc::test::source_dir() / "packaging/debian/postinst";
        std::vector<std::string> argv = {"/bin/sh", script.string(), "configure"};
        if (!previous_version.empty()) argv.push_back(previous_version);
        return run(argv, {{"PATH", (tmp_ / "bin").string() + ":/usr/bin:/bin"}}, 30s);
    }

    std::string calls() const {
        return fs::exists(tmp_ / "calls.log") ? read_file(tmp_ / "calls.log") : "";
    }
    void clear_calls() { fs::remove(tmp_ / "calls.log"); }

private:
    void stub(const std::string& name, const std::string& body) {
        const fs::path p = tmp_ / "bin" / name;
        write_file(p, "#!/bin/sh\n" + body);
        fs::permissions(p, fs::perms::owner_all);
    }
    TempDir tmp_;
};

}  // namespace

TEST(InstallPackageScripts, FirstInstallCreatesUserAndStateDirectoryAndSaysWhatNext) {
    FakeSystem sys;
    auto r = sys.postinst("");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string calls = sys.calls();
    EXPECT_NE(calls.find("groupadd --system pcd\n"), std::string::npos) << calls;
    EXPECT_NE(calls.find("useradd --system --gid pcd --home-dir /var/lib/pcd"), std::string::npos)
        << calls;
    EXPECT_NE(calls.find("--shell /usr/sbin/nologin"), std::string::npos) << calls;
    if (!fs::is_directory("/var/lib/pcd")) {
        EXPECT_NE(calls.find("install -d -o pcd -g pcd -m 0750 /var/lib/pcd\n"), std::string::npos)
            << calls;
    }
    // Nothing is enabled or started behind the operator's back.
    EXPECT_EQ(calls.find("systemctl enable"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("systemctl start"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("deb-systemd-helper enable"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("deb-systemd-invoke start"), std::string::npos) << calls;
    EXPECT_NE(r.out.find("pcctl apikey generate"), std::string::npos) << r.out;
}

TEST(InstallPackageScripts, ReconfigureIsIdempotentAndNeverTouchesKeys) {
    FakeSystem sys;
    ASSERT_EQ(sys.postinst("").exit_code, 0);
    sys.clear_calls();
    auto again = sys.postinst("0.1.0");  // an upgrade: the user exists now
    ASSERT_EQ(again.exit_code, 0) << again.err;
    const std::string calls = sys.calls();
    EXPECT_EQ(calls.find("groupadd"), std::string::npos) << calls;
    EXPECT_EQ(calls.find("useradd"), std::string::npos) << calls;
    EXPECT_EQ(again.out.find("pcctl apikey generate"), std::string::npos)
        << "upgrade notice repeated";
    // An upgrade restarts what runs (try-restart leaves stopped units stopped), through
    // deb-systemd-invoke (init-system-helpers is essential) as debhelper's scripts do.
    if (fs::is_directory("/run/systemd/system")) {
        EXPECT_NE(calls.find("deb-systemd-invoke try-restart pcd.service pcc.service"),
                  std::string::npos)
            << calls;
    }
    EXPECT_EQ(calls.find("systemctl try-restart"), std::string::npos) << calls;
    for (const auto& word : {"apikeys", "adminkeys", "chmod", "chown", "rm "}) {
        EXPECT_EQ(calls.find(word), std::string::npos) << word << " in: " << calls;
    }
    const std::string script = read_file(pc::test::source_dir() / "packaging/debian/postinst");
    EXPECT_EQ(script.find("apikeys"), std::string::npos);
    EXPECT_EQ(script.find("adminkeys"), std::string::npos);
}
