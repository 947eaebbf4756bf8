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

    public MappingEndpoint(String uri, MappingComponent component, String file) {
        super(uri, component);
        this.file = file;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        mapping = MappingLoader.load(((MappingComponent) getComponent()).resolve(file));
    }

    public Mapping mapping() { return mapping; }

    @Override
    public Producer createProducer() { return new MappingProducer(this); }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("mapping: is a step; use it in 'to', not in 'from'");
    }

    public String getFile() { return file; }
}
