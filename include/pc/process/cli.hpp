// pcprocess's command line: flags, environment variables, logging, exit status.
#pragma once

namespace pc::process {

// The whole of pcprocess's main(): 0 on success, 1 on a fatal error (one line on stderr).
int pcprocess_main(int argc, char** argv);

}  // namespace pc::process
