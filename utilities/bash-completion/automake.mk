# bash completion for vsctl and appctl.  Installed under the programs'
# names, so that bash-completion loads each when it is first needed.
VS_SUBST_FILES += \
	utilities/bash-completion/vsctl \
	utilities/bash-completion/appctl
EXTRA_DIST += \
	utilities/bash-completion/vsctl.in \
	utilities/bash-completion/appctl.in
if HAVE_BASHCOMPLETIONDIR
bashcompletion_DATA = \
	utilities/bash-completion/vsctl \
	utilities/bash-completion/appctl
endif
