# Sourced by run.sh and test.sh: the Debian packages the Kennisbank uses, installed when missing.

# What reads the files people have: Tesseract with its Dutch model (scans), antiword and catdoc
# (legacy Word files). Without them those files are reported with how to install them.
READER_PACKAGES=(tesseract-ocr tesseract-ocr-nld antiword catdoc)

# install_missing PACKAGE...: as root, installs those not installed yet (one apt-get update first);
# otherwise says what to run. A failed install is reported, not fatal: the Kennisbank runs without
# these packages and says per file what it could not read and which package would read it.
install_missing() {
    if ! command -v dpkg-query >/dev/null; then
        echo "$0: not a Debian system; install $* yourself (see README)" >&2
        return 0
    fi
    local missing=() package
    for package in "$@"; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" -eq 0 ]; then
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } ||
            echo "$0: could not install ${missing[*]}; continuing without them" >&2
    else
        echo "$0: not root, so not installing ${missing[*]}: run 'sudo apt-get install ${missing[*]}'" >&2
    fi
}
