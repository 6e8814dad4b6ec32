# Sourced by run.sh and test.sh: create .venv and install the project once (again when
# pyproject.toml changes).
PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "Создаю виртуальное окружение .venv ..."
  "$PY" -m venv .venv
fi
STAMP=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$STAMP" ]; then
  echo "Устанавливаю зависимости (один раз) ..."
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev,fast]"
  rm -f .venv/.installed-* && touch "$STAMP"
fi
