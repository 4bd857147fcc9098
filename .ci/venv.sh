# Shared by ./run and ./test: a virtualenv at .venv with the pinned packages.
# Reinstalls only when pyproject.toml or constraints.txt changed.

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "LPSE needs Python 3.11 or newer (set PYTHON=/path/to/python3.11)." >&2
  return 1
}

# ensure_venv EXTRAS   e.g. ensure_venv "" or ensure_venv "[test]"
ensure_venv() {
  local extras="$1" python stamp want
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "Membuat virtualenv .venv dengan $python ..."
    if ! "$python" -m venv .venv; then
      echo "python -m venv failed; on Debian/Ubuntu install python3-venv." >&2
      exit 1
    fi
  fi
  stamp=.venv/.lpse-installed
  want="$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16) $extras"
  if ! grep -qxF -- "$want" "$stamp" 2>/dev/null; then
    echo "Memasang dependensi (versi terkunci) ..."
    .venv/bin/python -m pip install --quiet --upgrade pip
    .venv/bin/python -m pip install --quiet -c constraints.txt -e ".$extras"
    echo "$want" >> "$stamp"
  fi
}
