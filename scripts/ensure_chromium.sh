# Sourced by test.sh: the headless browser test (tests/test_web_browser.py) drives Debian's
# chromium. Installed once when running as root on a Debian/Ubuntu machine and missing;
# otherwise that test skips and says why. Playwright's own browser download is never used.
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Устанавливаю chromium для теста веб-страницы (один раз) ..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
      >/tmp/gospablik-chromium.log 2>&1; then
    echo "chromium не установился (журнал: /tmp/gospablik-chromium.log): тест в браузере будет пропущен"
  fi
fi
