#include "pc/ctl/app.hpp"

#include "pc/core/cli.hpp"
#include "pc/core/error.hpp"
#include "pc/core/logging.hpp"
#include "pc/ctl/apikey.hpp"
#include "pc/ctl/measure_commands.hpp"
#include "pc/ctl/remote.hpp"
#include "pc/ctl/replay.hpp"
#include "pc/ctl/report_command.hpp"
#include "pc/ctl/store_copy.hpp"
#include "pc/ctl/upload.hpp"
#include "pc/ctl/validate_command.hpp"

namespace pc::ctl {

Cli::Cli(CLI::App& app) {
    // Subcommands pass options they do not know to their parent, so global options work on
    // either side of the subcommand name.
    app.fallthrough();
    app.require_subcommand(1);
    app.footer(
        "Global options may be given before or after the subcommand. Run 'pcctl <subcommand> "
        "--help' for a subcommand's options. Exit status: 0 success, 1 failure (one-line reason "
        "on stderr), 2 a usage error (one line naming the flag or variable) or 'validate' found a "
        "corrupt collection.");
    app.add_option("--server", global_.server, "pcd base URL (http:// or https://)")
        ->envname("PCC_SERVER_URL")
        ->capture_default_str();
    app.add_option(
           "--cafile", global_.cafile,
           "PEM file of the CA that signed the server's certificate (private CAs); default: "
           "the system CA store")
        ->envname("PCC_CAFILE");
    app.add_option("--adminkey", global_.adminkey,
                   "Admin key for admin routes (machines, fetch) and loadtest; default: none")
        ->envname("PCCTL_ADMINKEY");
    app.add_option("--apikey", global_.apikey, "Machine key for replay and loadtest; default: none")
        ->envname("PCC_APIKEY");
    app.add_flag("--json", global_.json,
                 "Machine-readable JSON output on stdout (no env var); default: off");
    app.add_option("--home", global_.home,
                   "pcd's home directory (key files); default: the home of the user pcd when it "
                   "exists (the installed service's /var/lib/pcd), else ~/.pcd")
        ->envname("PCD_HOME");
    app.add_flag(
        "--admin", global_.admin,
        "apikey: work on the admin keys (file or --store database) (no env var); default: off");
    app.add_option("--loglevel", global_.loglevel, "Log level on stderr (trace..off)")
        ->envname("PCCTL_LOGLEVEL")
        ->capture_default_str();

    app.add_option("--timeout", global_.timeout,
                   "Connect/send/receive timeout of requests to pcd (Go duration or seconds)")
        ->envname("PCCTL_TIMEOUT")
        ->capture_default_str();

    global_.name_of = [&app](const std::string& flag) { return core::given_name(app, flag); };

    register_apikey_commands(app, global_, actions_);
    register_upload_command(app, global_, actions_);
    register_validate_command(app, global_, actions_);
    register_remote_commands(app, global_, actions_);
    register_report_command(app, global_, actions_);
    register_replay_command(app, global_, actions_);
    register_measure_commands(app, global_, actions_);
    register_store_commands(app, global_, actions_);
}

int Cli::run(Streams streams) {
    core::setup_logging("pcctl",
                        core::parse_log_level(global_.loglevel, "pcctl", "PCCTL_LOGLEVEL"));
    const Action* action = actions_.parsed();
    if (!action) throw core::UsageError("no subcommand given; see pcctl --help");
    return (*action)(streams);
}

}  // namespace pc::ctl
