package io.rowcast.warehouse;

import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.locks.ReentrantLock;

import io.rowcast.sync.Batch;
import io.rowcast.sync.RunRecord;
import io.rowcast.sync.SyncRun;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the sync on each scheduled poll (or on demand) and routes each batch through the route
 * asynchronously; the batch's completion commits its outcomes.
 */
public class WarehouseConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseConsumer.class);

    private final WarehouseEndpoint endpoint;
    private final ReentrantLock running = new ReentrantLock();
    private ExecutorService startupRunner;

    public WarehouseConsumer(WarehouseEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected int poll() {
        return runNow().map(r -> (int) Math.min(Integer.MAX_VALUE, r.rowsRead())).orElse(0);
    }

    /**
     * Ready once started: a cron sync may not poll for hours, and Camel's default (ready after the
     * first scheduled poll) would keep the service out of readiness until then.
     */
    @Override
    public boolean isConsumerReady() {
        return isStarted();
    }

    /** Runs the sync now, unless a run of it is already going on in this process. */
    public Optional<RunRecord> runNow() {
        if (!running.tryLock()) {
            LOG.info("Sync {}: a run is already in progress; this trigger is skipped", endpoint.getSyncId());
            return Optional.empty();
        }
        try {
            LOG.info("Sync {}: run started", endpoint.getSyncId());
            RunRecord record = new SyncRun(endpoint.settings(), endpoint.getComponent().getDataSource(),
                    endpoint.getComponent().getStateStore(), this::dispatch).execute();
            if (record.error() != null) {
                LOG.error("Sync {}: {}", endpoint.getSyncId(), record.summary());
            } else {
                LOG.info("Sync {}: {}", endpoint.getSyncId(), record.summary());
            }
            return Optional.of(record);
        } finally {
            running.unlock();
        }
    }

    private void dispatch(Batch batch, java.util.function.Consumer<Throwable> done) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(batch);
        getAsyncProcessor().process(exchange, doneSync -> {
            try {
                done.accept(exchange.getException());
            } finally {
                releaseExchange(exchange, false);
            }
        });
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.isRunOnStart()) {
            CamelContext context = endpoint.getCamelContext();
            startupRunner = context.getExecutorServiceManager().newSingleThreadExecutor(this, "run-on-start-" + endpoint.getSyncId());
            context.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) { }

                @Override
                public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                    startupRunner.submit(WarehouseConsumer.this::runNow);
                }
            });
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (startupRunner != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownGraceful(startupRunner);
        }
        super.doStop();
    }
}
