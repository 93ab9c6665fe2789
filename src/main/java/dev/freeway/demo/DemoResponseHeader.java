package dev.freeway.demo;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.ext.Provider;

/** Marks every answer Freeway gives while the demo is on with {@code x-freeway-demo: true}, errors included. */
@Provider
public class DemoResponseHeader implements ContainerResponseFilter {

    private final DemoProviders demo;

    public DemoResponseHeader(DemoProviders demo) {
        this.demo = demo;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (demo.active()) {
            response.getHeaders().putSingle(DemoProviders.HEADER, "true");
        }
    }
}
