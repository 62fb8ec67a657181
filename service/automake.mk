# service/: what runs the daemons as system services -- systemd units, a
# tmpfiles.d entry for their run directory, a logrotate configuration and
# the defaults file the units read.  Documentation/design.md ("Running as
# a service") says why they look the way they do.
VS_SUBST_FILES += \
	service/ovsdb-lite.service \
	service/vswitchd.service \
	service/tmpfiles.d/vswitch-lite.conf \
	service/logrotate.d/vswitch-lite
EXTRA_DIST += \
	service/ovsdb-lite.service.in \
	service/vswitchd.service.in \
	service/tmpfiles.d/vswitch-lite.conf.in \
	service/logrotate.d/vswitch-lite.in

if HAVE_SYSTEMDSYSTEMUNITDIR
systemdsystemunit_DATA = service/ovsdb-lite.service service/vswitchd.service
endif
if HAVE_TMPFILESDIR
tmpfiles_DATA = service/tmpfiles.d/vswitch-lite.conf
endif

logrotatedir = $(sysconfdir)/logrotate.d
logrotate_DATA = service/logrotate.d/vswitch-lite

defaultdir = $(sysconfdir)/default
dist_default_DATA = service/default/vswitch-lite

# The directories the daemons write their logs and databases into.  The
# run directory is not installed: it lives on a tmpfs, and tmpfiles.d
# creates it at boot (or "systemd-tmpfiles --create vswitch-lite.conf").
install-data-local:
	$(MKDIR_P) '$(DESTDIR)$(VS_LOGDIR)' '$(DESTDIR)$(VS_DBDIR)'
