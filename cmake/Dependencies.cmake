# Every dependency comes from Debian packages (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
# cpp-httplib ships pkg-config metadata only (built with OpenSSL, zlib and brotli).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

add_library(pc_deps INTERFACE)
target_link_libraries(pc_deps INTERFACE
  nlohmann_json::nlohmann_json spdlog::spdlog CLI11::CLI11 ZLIB::ZLIB
  PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto Threads::Threads)
