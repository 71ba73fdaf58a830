package io.mlcycle.openlineage;

import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ApiKeyTokenProvider;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends run events through the OpenLineage Java client to the transport the settings name. Emitting never
 * fails a job: a transport that fails (a server down, a file not writable) is logged as a warning and the
 * event is counted as not sent.
 */
public final class OpenLineageEmitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpenLineageEmitter.class);

  private final OpenLineageClient client;
  private final String target;

  private OpenLineageEmitter(Transport transport, String target) {
    this.client = new OpenLineageClient(transport);
    this.target = target;
  }

  /** The emitter of an enabled transport (file or http). */
  static OpenLineageEmitter of(OpenLineageSettings settings) {
    return switch (settings.transport()) {
      case FILE -> new OpenLineageEmitter(new FileTransport(new FileConfig(settings.file().orElseThrow().toString())),
          settings.file().orElseThrow().toString());
      case HTTP -> http(settings.http().orElseThrow());
      case NONE -> throw new IllegalStateException("no emitter for transport none: the runner emits nothing then");
    };
  }

  private static OpenLineageEmitter http(OpenLineageSettings.Http http) {
    HttpConfig config = new HttpConfig();
    config.setUrl(http.url());
    config.setEndpoint(http.endpoint());
    config.setTimeoutInMillis((int) http.timeout().toMillis());
    http.apiKey().ifPresent(key -> {
      ApiKeyTokenProvider token = new ApiKeyTokenProvider();
      token.setApiKey(key);
      config.setAuth(token);
    });
    return new OpenLineageEmitter(new HttpTransport(config), http.url() + http.endpoint());
  }

  /** Sends one event; whether it was sent. */
  boolean emit(OpenLineage.RunEvent event) {
    try {
      client.emit(event);
      return true;
    } catch (RuntimeException e) {
      // The client wraps transport failures in its own unchecked exception; none may change the job's outcome.
      LOG.warn("Cannot send the OpenLineage {} event of run {} to {}: {}", event.getEventType(),
          event.getRun().getRunId(), target, e.toString());
      return false;
    }
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (Exception e) {
      LOG.warn("Cannot close the OpenLineage transport to {}: {}", target, e.toString());
    }
  }
}
