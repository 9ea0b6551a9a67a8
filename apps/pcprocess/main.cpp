// pcprocess: turns a perfcollector collection into sar-style and wide CSV files and an HTML
// report.
#include "pc/process/cli.hpp"
#include "pc/report/pcprocess_report.hpp"

int main(int argc, char** argv) {
    return pc::process::pcprocess_main(argc, argv, pc::report::pcprocess_report_factory());
}
