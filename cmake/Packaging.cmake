# CPack: a Debian package of everything `cmake --install` installs, for the /usr prefix.
#   cmake --build build --target package     (or: cd build && cpack)
# -> build/perfcollector_<version>_<arch>.deb
# Runtime dependencies are computed by dpkg-shlibdeps from what the binaries really link
# (needs dpkg-dev; without it the list below is used instead).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "perfcollector")
set(CPACK_PACKAGE_VENDOR "perfcollector")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Linux performance collection suite: pcc, pcd, pcprocess, pcctl")
set(CPACK_PACKAGE_DESCRIPTION
    "pcc samples /proc into JSON-lines collections or trickles them to pcd;\n pcd stores them per machine behind API keys; pcprocess turns a collection\n into sar-style and wide CSV; pcctl administers pcd (keys, machines, fetch,\n replay, validate, upload).")
set(CPACK_PACKAGE_CONTACT "perfcollector <perfcollector@example.org>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "perfcollector <perfcollector@example.org>")
set(CPACK_RESOURCE_FILE_LICENSE "${CMAKE_CURRENT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
# With CPACK_SET_DESTDIR, cpack installs to CPACK_INSTALL_PREFIX (default: CMAKE_INSTALL_PREFIX).
set(CPACK_INSTALL_PREFIX "/usr")
# Install with DESTDIR and the real prefix, so that absolute destinations (/etc/default) and
# the paths written into the units at install time are those of the installed system.
set(CPACK_SET_DESTDIR ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME "DEB-DEFAULT")
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://localhost/perfcollector")

find_program(PC_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(PC_DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # postinst uses groupadd/useradd.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "passwd")
else()
  # Debian 12 names of what pc_deps and pcd's pc_server link.
  set(CPACK_DEBIAN_PACKAGE_DEPENDS
      "passwd, libc6, libstdc++6, libgcc-s1, libcpp-httplib0.11, libspdlog1.10-fmt9, libfmt9, zlib1g, libssl3, libbrotli1, libprometheus-cpp-core1.0, libpq5")
endif()

# Maintainer scripts: the pcd user and /var/lib/pcd (postinst), stopping units on removal.
# The /etc/default environment files are conffiles: dpkg keeps an administrator's edits on
# upgrade and asks before replacing them.
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/packaging/conffiles" "/etc/default/pcd\n/etc/default/pcc\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_BINARY_DIR}/packaging/conffiles"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postinst"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/prerm"
    "${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
