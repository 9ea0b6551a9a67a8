# Installation layout (GNU directories under CMAKE_INSTALL_PREFIX):
#   bin/                          pcc pcd pcprocess pcctl, pcc-container-linux -> pcc
#   lib/perfcollector/            libpc_tls.so (pcc's TLS module, dlopen'ed for https only)
#   share/doc/perfcollector/      README.md LICENSE copyright changelog.gz docs/*.md,
#                                 examples/default/{pcd,pcc}
#   share/man/man1/               pcc.1.gz pcd.1.gz pcprocess.1.gz pcctl.1.gz (cmake/ManPages.cmake)
#   share/bash-completion/completions/  pcc pcd pcprocess pcctl
#   lib/systemd/system/           pcd.service pcc.service pcc-periodic.service pcc.timer
#   <sysconfdir>/default/         pcd pcc (only when absent: an existing one is kept)
# <sysconfdir> is /etc for the /usr prefix (the .deb) and <prefix>/etc otherwise.
#
# The units and their paths (ExecStart, EnvironmentFile, Documentation) are written at
# install time, not configure time, so they name where the files really land whatever the
# prefix (`cmake --install build --prefix X`, DESTDIR, or cpack's /usr).
include(GNUInstallDirs)

install(TARGETS pcc pcd pcprocess pcctl RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# pcc finds the module at the same path relative to its own executable (PC_TLS_MODULE_RELPATH).
install(TARGETS pc_tls LIBRARY DESTINATION ${PC_TLS_MODULE_DIR})
install(FILES README.md LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR} FILES_MATCHING PATTERN "*.md" PATTERN "*.png")
# The changelog as Debian ships it: gzip -9n (no name or time stamp, so the package is
# reproducible), redone when the changelog changes.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/changelog)
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/packaging)
execute_process(COMMAND gzip -9nc ${CMAKE_CURRENT_SOURCE_DIR}/packaging/debian/changelog
                OUTPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz
                COMMAND_ERROR_IS_FATAL ANY)
# Debian's copyright (machine-readable, DEP-5) and changelog, in the documentation directory
# where lintian and dpkg look for them.
install(FILES packaging/debian/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
# /etc/default/pcc is 0600 on purpose (it may hold the agent's key): tell lintian so.
install(FILES packaging/debian/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides
        RENAME perfcollector)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Bash completion, loaded on demand by the command's name.
install(FILES packaging/bash-completion/pcc packaging/bash-completion/pcd
              packaging/bash-completion/pcprocess packaging/bash-completion/pcctl
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
# Pristine copies of the environment files, for reference after local edits.
install(FILES packaging/default/pcd packaging/default/pcc
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/examples/default)

# Relative to the prefix. /usr/lib/systemd/system for the /usr prefix: searched by systemd
# (also /usr/local/lib/systemd/system for /usr/local) and, with Debian 12's merged /usr, the
# same directory as /lib/systemd/system.
set(PC_SYSTEMD_UNITDIR "lib/systemd/system" CACHE STRING
    "systemd system unit directory (relative to the install prefix, or absolute)")

install(CODE "
  set(PC_SOURCE_DIR \"${CMAKE_CURRENT_SOURCE_DIR}\")
  set(PC_STAGING_DIR \"${CMAKE_CURRENT_BINARY_DIR}/packaging/staging\")
  set(PC_REL_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(PC_REL_DOCDIR \"${CMAKE_INSTALL_DOCDIR}\")
  set(PC_REL_SYSCONFDIR \"${CMAKE_INSTALL_SYSCONFDIR}\")
  set(PC_REL_UNITDIR \"${PC_SYSTEMD_UNITDIR}\")
  include(\"${CMAKE_CURRENT_SOURCE_DIR}/packaging/install_config.cmake\")
")

# pcc-container-linux is pcc under another name (install_config.cmake links it), and so is its
# man page (lintian: binary-without-manpage).
if(TARGET man_pages)
  install(CODE "
    set(page \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_MANDIR}/man1/pcc-container-linux.1.gz\")
    file(REMOVE \"\${page}\")
    file(CREATE_LINK pcc.1.gz \"\${page}\" SYMBOLIC)
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES \"\${page}\")
    message(STATUS \"Installing: \${page} -> pcc.1.gz\")
  ")
endif()
