package io.rowcast.mapping;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/** A mapping file, loaded strictly when the route starts: a route with a broken mapping does not start. */
@UriEndpoint(firstVersion = "0.1.0", scheme = "mapping", title = "Rowcast mapping", syntax = "mapping:file",
        producerOnly = true, category = {Category.TRANSFORMATION})
public class MappingEndpoint extends DefaultEndpoint {

    @UriPath(description = "Mapping file name, relative to rowcast.mappings-dir")
    @Metadata(required = true)
    private final String file;
    private volatile Mapping mapping;
    /** Why the step's URI is wrong, if it is: the route does not start, saying so. */
    private volatile String refused;

    public MappingEndpoint(String uri, MappingComponent component, String file) {
        super(uri, component);
        this.file = file;
    }

    /**
     * The mapping, loaded on first use: by the producer as its route starts, so a broken file fails that
     * route's start (reported by the route controller and the health endpoint) and no other route.
     */
    public synchronized Mapping mapping() {
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (mapping == null) {
            mapping = MappingLoader.load(((MappingComponent) getComponent()).resolve(file));
        }
        return mapping;
    }

    @Override
    public Producer createProducer() { return new MappingProducer(this); }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mapping: is a step; use it in 'to', not in 'from'");
    }

    public String getFile() { return file; }

    void refuse(String why) { this.refused = why; }
}
