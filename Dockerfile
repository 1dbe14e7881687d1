# The emulator as an image that builds with no registry: a statically linked binary in
# an empty image. Build the binary first (scripts/build-image does both):
#   RUSTFLAGS='-C target-feature=+crt-static' \
#     cargo build --release --target x86_64-unknown-linux-gnu -p cognito-emulator
# With a registry at hand, Dockerfile.multistage builds the binary inside Docker instead.
FROM scratch
COPY target/x86_64-unknown-linux-gnu/release/cognito-emulator /cognito-emulator
# A state directory the unprivileged user can write (an empty image has no mkdir): a
# volume mounted here starts with its ownership. Used only with --state-dir /state
# (docker-compose.yml sets it).
COPY --chown=65534:65534 docker/state /state
# nobody:nogroup — the server needs no privileges and no files.
USER 65534:65534
ENV COGNITO_EMULATOR_LISTEN=0.0.0.0:4566 RUST_LOG=info
EXPOSE 4566
# The image has no shell or curl: the binary probes its own port.
HEALTHCHECK --interval=500ms --timeout=3s --start-period=1s --retries=30 \
  CMD ["/cognito-emulator", "probe", "127.0.0.1:4566"]
# Stops cleanly on SIGTERM (docker stop).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/cognito-emulator"]
