# Man pages for the four programs, generated at build time from their --help and --version
# with help2man, so they say what the binaries do: build/man/<prog>.1.gz (gzip -9n, as Debian
# wants them), installed to share/man/man1. Target man_pages, part of `all`.
option(PC_MAN_PAGES "Generate man pages from --help with help2man" ON)

if(PC_MAN_PAGES)
  find_program(PC_HELP2MAN help2man)
  find_program(PC_GZIP gzip)
  if(NOT PC_HELP2MAN OR NOT PC_GZIP)
    message(WARNING "help2man or gzip not found: no man pages (scripts/setup installs help2man; "
                    "-DPC_MAN_PAGES=OFF silences this)")
  else()
    set(PC_MAN_DIR ${CMAKE_BINARY_DIR}/man)
    set(pc_man_pcc "perfcollector agent: samples /proc into a collection or trickles it to pcd")
    set(pc_man_pcd "perfcollector daemon: stores the collections agents trickle, behind API keys")
    set(pc_man_pcprocess "turn a perfcollector collection into sar-style and wide CSV files")
    set(pc_man_pcctl "administer pcd and check, fetch, replay and upload perfcollector data")
    set(pc_man_pages)
    # pcctl's page also gets every subcommand's --help (packaging/man-subcommands).
    set(pc_man_include_pcctl ${PC_MAN_DIR}/pcctl-subcommands.h2m)
    add_custom_command(OUTPUT ${pc_man_include_pcctl}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PC_MAN_DIR}
      COMMAND env -i PATH=/usr/bin:/bin sh ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man-subcommands
              $<TARGET_FILE:pcctl> ${pc_man_include_pcctl}
      DEPENDS pcctl ${CMAKE_CURRENT_SOURCE_DIR}/packaging/man-subcommands
      VERBATIM)
    foreach(app pcc pcd pcprocess pcctl)
      set(page ${PC_MAN_DIR}/${app}.1)
      set(include_args)
      set(include_deps)
      if(DEFINED pc_man_include_${app})
        set(include_args --include=${pc_man_include_${app}})
        set(include_deps ${pc_man_include_${app}})
      endif()
      # An empty environment: the defaults in the page are the program's, not the builder's.
      add_custom_command(OUTPUT ${page}.gz
        COMMAND ${CMAKE_COMMAND} -E make_directory ${PC_MAN_DIR}
        COMMAND env -i PATH=/usr/bin:/bin ${PC_HELP2MAN} --no-info --section=1
                "--name=${pc_man_${app}}" "--source=perfcollector ${PROJECT_VERSION}"
                "--manual=User Commands" ${include_args} --output=${page} $<TARGET_FILE:${app}>
        COMMAND ${PC_GZIP} -9nf ${page}
        DEPENDS ${app} ${include_deps}
        COMMENT "Generating the ${app}(1) man page with help2man"
        VERBATIM)
      list(APPEND pc_man_pages ${page}.gz)
    endforeach()
    add_custom_target(man_pages ALL DEPENDS ${pc_man_pages})
    install(FILES ${pc_man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  endif()
endif()
