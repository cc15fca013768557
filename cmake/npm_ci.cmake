# Installs the report's chart libraries from package-lock.json into
# SOURCE_DIR/node_modules, then touches STAMP. Several build directories share
# one node_modules, and `npm ci` starts by deleting it, so it only runs when
# the installed tree is older than the lock file (or missing).
# Run with -DNPM= -DSOURCE_DIR= -DSTAMP=.
set(installed "${SOURCE_DIR}/node_modules/.package-lock.json")
set(needed TRUE)
if(EXISTS "${installed}"
   AND NOT "${SOURCE_DIR}/package-lock.json" IS_NEWER_THAN "${installed}"
   AND NOT "${SOURCE_DIR}/package.json" IS_NEWER_THAN "${installed}")
  set(needed FALSE)
  foreach(file vega/build/vega.min.js vega-lite/build/vega-lite.min.js vega-embed/build/vega-embed.min.js)
    if(NOT EXISTS "${SOURCE_DIR}/node_modules/${file}")
      set(needed TRUE)
    endif()
  endforeach()
endif()
if(needed)
  message(STATUS "npm ci: installing vega, vega-lite, vega-embed (package-lock.json) into node_modules/")
  execute_process(COMMAND "${NPM}" ci --no-audit --no-fund --ignore-scripts
                  WORKING_DIRECTORY "${SOURCE_DIR}" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed (exit ${rc}) in ${SOURCE_DIR}. The HTML report inlines vega, vega-lite "
                        "and vega-embed from npm at build time: check registry access with `npm view vega-lite version`.")
  endif()
endif()
# The build directory's generated/ folder may not exist yet on a first build.
get_filename_component(stamp_dir "${STAMP}" DIRECTORY)
file(MAKE_DIRECTORY "${stamp_dir}")
file(TOUCH "${STAMP}")
