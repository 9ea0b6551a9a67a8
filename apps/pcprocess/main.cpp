// pcprocess: turns a perfcollector collection into sar-style and wide CSV files.
#include "pc/process/cli.hpp"

int main(int argc, char** argv) {
    return pc::process::pcprocess_main(argc, argv);
}
