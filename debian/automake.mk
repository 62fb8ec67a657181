# debian/: the Debian packaging (dpkg-buildpackage -b), shipped in the
# tarball so that a release builds into packages as it is.
EXTRA_DIST += \
	debian/changelog \
	debian/control \
	debian/copyright \
	debian/not-installed \
	debian/rules \
	debian/source/format \
	debian/vswitch-lite-common.install \
	debian/vswitch-lite-common.lintian-overrides \
	debian/vswitch-lite-switch.dirs \
	debian/vswitch-lite-switch.install \
	debian/vswitch-lite-switch.lintian-overrides \
	debian/vswitch-lite-switch.postrm
