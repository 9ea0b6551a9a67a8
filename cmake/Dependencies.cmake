# Every dependency comes from Debian packages (scripts/setup installs them).
find_package(Threads REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(spdlog REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(PkgConfig REQUIRED)
# cpp-httplib ships pkg-config metadata only (built with OpenSSL, zlib and brotli).
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)

# spdlog and fmt header-only (Debian's headers support both modes): the compiled libspdlog.so
# would pull libstdc++.so into pcc, which links libstdc++ statically to stay small in memory
# (docs/performance.md, "pcc peak RSS"). spdlog::spdlog_header_only links libfmt.so, so the
# definitions are spelled out here instead.
add_library(pc_logging INTERFACE)
get_target_property(PC_SPDLOG_INCLUDES spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
target_include_directories(pc_logging INTERFACE ${PC_SPDLOG_INCLUDES})
# A fixed thousands separator: fmt then never touches std::locale, whose use alone links every
# locale facet (about 300 kB) into pcc; nothing of ours formats with the locale ('L').
target_compile_definitions(pc_logging INTERFACE SPDLOG_FMT_EXTERNAL
                                                "FMT_STATIC_THOUSANDS_SEPARATOR=','")
target_link_libraries(pc_logging INTERFACE fmt::fmt-header-only Threads::Threads)

add_library(pc_deps INTERFACE)
target_link_libraries(pc_deps INTERFACE
  nlohmann_json::nlohmann_json pc_logging CLI11::CLI11 ZLIB::ZLIB
  PkgConfig::HTTPLIB OpenSSL::SSL OpenSSL::Crypto Threads::Threads)

# pcd's /metrics: prometheus-cpp's core library (registry, families, text serializer; not its
# pull/push libraries). Linked through pc_server (CMakeLists.txt), never into pcc.
find_package(prometheus-cpp CONFIG REQUIRED)

# pcd's PostgreSQL store (store/pg_*): libpq, the C client library (Debian libpq-dev). Linked
# through pc_server (CMakeLists.txt), never into pcc.
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
