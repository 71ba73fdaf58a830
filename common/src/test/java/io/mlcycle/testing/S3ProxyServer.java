package io.mlcycle.testing;

import io.mlcycle.config.Settings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: S3Proxy as its own process on a free loopback port, with the
 * filesystem backend in a temp folder and signed requests (random credentials per start). Register
 * with {@code @RegisterExtension static S3ProxyServer s3 = new S3ProxyServer();}.
 */
public final class S3ProxyServer implements BeforeAllCallback, AfterAllCallback {
  private static final long START_TIMEOUT_SECONDS = 60;

  private final String identity = "mlcycle-" + UUID.randomUUID().toString().substring(0, 8);
  private final String credential = UUID.randomUUID().toString();
  private final Deque<String> output = new ArrayDeque<>();
  private Process process;
  private Path baseDir;
  private int port;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  /** Starts the server; after {@link #stop}, again on the same port with the same objects. */
  public void start() throws IOException, InterruptedException {
    if (baseDir == null) {
      baseDir = Files.createTempDirectory("s3proxy");
      port = freePort();
    }
    Path properties = baseDir.resolve("s3proxy.properties");
    Files.writeString(properties, String.join("\n",
        "s3proxy.endpoint=" + endpoint(),
        "s3proxy.authorization=aws-v2-or-v4",
        "s3proxy.identity=" + identity,
        "s3proxy.credential=" + credential,
        "jclouds.provider=filesystem",
        "jclouds.filesystem.basedir=" + Files.createDirectories(baseDir.resolve("blobs"))));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    process = new ProcessBuilder(java, "-Xmx256m", "-jar", jar().toString(), "--properties", properties.toString())
        .redirectErrorStream(true)
        .start();
    CompletableFuture<Void> started = new CompletableFuture<>();
    Thread reader = new Thread(() -> readOutput(started), "s3proxy-output");
    reader.setDaemon(true);
    reader.start();
    try {
      started.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      stop();
      throw new IllegalStateException("S3Proxy did not start; its last output:\n" + String.join("\n", output), e);
    }
  }

  private void readOutput(CompletableFuture<Void> started) {
    try (BufferedReader lines = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.addLast(line);
          if (output.size() > 50) {
            output.removeFirst();
          }
        }
        if (line.contains("Started Server@")) {
          started.complete(null);
        }
      }
      started.completeExceptionally(new IllegalStateException("S3Proxy exited with " + process.waitFor()));
    } catch (IOException | InterruptedException e) {
      started.completeExceptionally(e);
    }
  }

  private static Path jar() {
    String jar = System.getProperty("mlcycle.s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException("Cannot find the S3Proxy jar (system property mlcycle.s3proxy.jar = " + jar
          + "): run the tests through Maven, which copies it to common/target/s3proxy.");
    }
    return Path.of(jar);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public void stop() {
    if (process != null) {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /**
   * Freezes the server process (SIGSTOP): connections are still accepted by the kernel, but no request is
   * answered, as a store that has become too slow; {@link #resume} lets it go on.
   */
  public void pause() throws IOException, InterruptedException {
    signal("-STOP");
  }

  public void resume() throws IOException, InterruptedException {
    signal("-CONT");
  }

  private void signal(String signal) throws IOException, InterruptedException {
    int code = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    if (code != 0) {
      throw new IllegalStateException("kill " + signal + " " + process.pid() + " exited with " + code);
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Creates a bucket through the S3 API and returns its name. */
  public String createBucket() {
    String bucket = "bucket-" + UUID.randomUUID().toString().substring(0, 8);
    try (S3Client client = S3Client.builder()
        .endpointOverride(URI.create(endpoint()))
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(identity, credential)))
        .build()) {
      client.createBucket(b -> b.bucket(bucket));
    }
    return bucket;
  }

  /**
   * The mlcycle settings that point storage at this server. Credentials are not among them: mlcycle
   * takes those from the environment only; {@link #connect} sets them for an in-process session.
   */
  public String[] storageSets(String bucket, String prefix) {
    return storageSets(bucket, prefix, endpoint());
  }

  /** The same, through another endpoint in front of this server (a {@link FaultyEndpoint}). */
  public String[] storageSets(String bucket, String prefix, String endpoint) {
    return new String[] {
        "mlcycle.storage.root=s3a://" + bucket + "/" + prefix,
        "mlcycle.storage.s3.endpoint=" + endpoint,
        "mlcycle.storage.s3.path-style-access=true",
        "mlcycle.storage.s3.ssl-enabled=false",
        "mlcycle.storage.s3.region=us-east-1"};
  }

  /** Per-bucket S3A credentials, for an in-process session, where environment variables cannot be set. */
  private Map<String, String> credentials(String bucket) {
    return Map.of(
        "fs.s3a.bucket." + bucket + ".access.key", identity,
        "fs.s3a.bucket." + bucket + ".secret.key", credential);
  }

  /**
   * Points this JVM's s3a file systems for {@code bucket} at this server, with the endpoint options
   * mlcycle derives from {@code settings} and the server's credentials. Per-bucket keys, so one test's
   * endpoint cannot leak into another test's s3a file systems.
   */
  public void connect(Configuration hadoop, String bucket, Settings settings) {
    settings.s3().hadoopOptions().forEach((key, value) ->
        hadoop.set("fs.s3a.bucket." + bucket + "." + key.substring("fs.s3a.".length()), value));
    credentials(bucket).forEach(hadoop::set);
  }


  /** Where S3Proxy keeps the objects, to prove they landed on the server and not on local disk. */
  public Path blobDir() {
    return baseDir.resolve("blobs");
  }

}
