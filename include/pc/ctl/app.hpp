// pcctl's command line: global options, every subcommand, and running the one that was parsed.
#pragma once

#include <CLI/CLI.hpp>

#include "pc/ctl/command.hpp"

namespace pc::ctl {

class Cli {
public:
    // Registers the global options (accepted before or after the subcommand) and every
    // subcommand on `app`. `app` must outlive this object; parse it before calling run().
    explicit Cli(CLI::App& app);
    Cli(const Cli&) = delete;
    Cli& operator=(const Cli&) = delete;

    // Sets up logging and runs the parsed subcommand. Returns its exit status; throws
    // UserError for a one-line failure.
    int run(Streams streams);

    const GlobalOptions& global() const { return global_; }

private:
    GlobalOptions global_;
    ActionTable actions_;
};

}  // namespace pc::ctl
