# Sourced by tests/deploy_test.sh and bench/postgres/http.sh: the shipped nginx
# site (deploy/nginx/gugus.conf) made to run on this machine, without root, in
# PREFIX: upstreams on UP1 and UP2, HTTP on HTTP_PORT and HTTPS on HTTPS_PORT of
# 127.0.0.1, a throwaway self-signed certificate, no IPv6 listeners, and a minimal
# nginx.conf around it that logs "status method uri upstream" to
# PREFIX/access.log. Fails when the site no longer has the lines it rewrites.
# Usage: nginx_local PREFIX UP1 UP2 HTTP_PORT HTTPS_PORT [WORKERS]
nginx_local() {
  local prefix=$1 up1=$2 up2=$3 http=$4 https=$5 workers=${6:-1}
  local site=deploy/nginx/gugus.conf
  mkdir -p "$prefix/temp" "$prefix/www"
  openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost \
    -keyout "$prefix/key.pem" -out "$prefix/cert.pem" >/dev/null 2>&1 || return 1
  sed -e "s/127\.0\.0\.1:8081 /127.0.0.1:$up1 /; s/127\.0\.0\.1:8082 /127.0.0.1:$up2 /" \
    -e "s/^    listen 80;/    listen 127.0.0.1:$http;/" \
    -e "s/^    listen 443 ssl http2;/    listen 127.0.0.1:$https ssl http2;/" \
    -e '/listen \[::\]/d' \
    -e "s#/etc/ssl/gugus/fullchain.pem#$prefix/cert.pem#; s#/etc/ssl/gugus/privkey.pem#$prefix/key.pem#" \
    -e "s#root /var/www/html#root $prefix/www#" "$site" >"$prefix/site.conf"
  local want
  for want in "127.0.0.1:$up1 " "127.0.0.1:$up2 " "listen 127.0.0.1:$http;" \
    "listen 127.0.0.1:$https ssl" "$prefix/cert.pem" "$prefix/key.pem"; do
    grep -qF -- "$want" "$prefix/site.conf" || {
      echo "nginx_local: '$want' not substituted in $site" >&2
      return 1
    }
  done
  if grep -v '^ *#' "$prefix/site.conf" | grep -qE '127\.0\.0\.1:808[12] |/etc/ssl/|listen (80|443)[ ;]'; then
    echo "nginx_local: a value of $site left unsubstituted" >&2
    return 1
  fi
  local user_line=""
  [ "$(id -u)" -eq 0 ] && user_line="user root;" # the workers read this folder
  cat >"$prefix/nginx.conf" <<CONF
$user_line
worker_processes $workers;
pid $prefix/nginx.pid;
error_log $prefix/error.log;
events { worker_connections 1024; }
http {
  log_format upstream '\$status \$request_method \$uri \$upstream_addr';
  access_log $prefix/access.log upstream;
  client_body_temp_path $prefix/temp/body;
  proxy_temp_path $prefix/temp/proxy;
  fastcgi_temp_path $prefix/temp/fastcgi;
  uwsgi_temp_path $prefix/temp/uwsgi;
  scgi_temp_path $prefix/temp/scgi;
  include $prefix/site.conf;
}
CONF
}
