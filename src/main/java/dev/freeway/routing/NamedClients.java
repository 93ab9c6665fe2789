package dev.freeway.routing;

import java.util.List;

/**
 * The pool's named clients as routing and the operator's view know them: names and rules, never keys. Security
 * reads them from configuration; status reports on them through this, so it never reads security's configuration.
 */
public interface NamedClients {

    /** Every named client, by name. */
    List<ClientScope> scopes();
}
