"""The cluster engine: a Typesense cluster over HTTP, holding tokens our own Dutch analysis made.

`client` talks to the nodes (failover, one Dutch error per problem), `collections` declares what the
cluster holds and names each build, `cluster` reads health and counts and takes snapshots.
"""
