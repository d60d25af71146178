"""Actor networks as GEXF or GraphML (networkx), for Gephi, igraph or networkx.

A directed multigraph: one node per actor code (label: its most frequent name),
one edge per actor → recipient pair and event type (edge key: the type). Edge
attributes: ``weight`` (real events, i.e. clusters), ``reports`` (coded sentences),
``event_type``, ``quad`` and ``score`` (the mean PLOVER cooperation–conflict score of
its real events). Built from a grouped query, so its size follows the number of
actor pairs, never the number of events.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

# networkx ships no type information here (types-networkx is not a dependency)
import networkx as nx

from eventwire.events.ontology import load_ontology
from eventwire.store import EventFilter, Store


def actor_network(store: Store, where: EventFilter) -> nx.MultiDiGraph:
    ontology = load_ontology()
    edges: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0, 0, 0.0])
    for tie in store.ties(where):
        if tie.type not in ontology.types:
            continue
        edge = edges[(tie.actor, tie.recipient, tie.type)]
        edge[0] += tie.clusters
        edge[1] += tie.events
        edge[2] += ontology.score(tie.type, tie.mode) * tie.clusters
    names = store.actor_names()
    graph = nx.MultiDiGraph(name="eventwire actor network")
    for (actor, recipient, kind), (weight, reports, total) in sorted(edges.items()):
        for code in (actor, recipient):
            if code not in graph:
                graph.add_node(code, label=names.get(code, code), events=0)
            graph.nodes[code]["events"] += int(weight)
        graph.add_edge(
            actor,
            recipient,
            key=kind,
            event_type=kind,  # not "type": GEXF reserves it for the edge direction
            weight=int(weight),
            reports=int(reports),
            quad=ontology.types[kind].quad,
            score=round(total / weight, 3) if weight else 0.0,
        )
    return graph


def write_network(store: Store, where: EventFilter, out: Path, graphml: bool) -> int:
    """Write the actor network to ``out``; returns the number of edges."""
    graph = actor_network(store, where)
    partial = out.with_name(out.name + ".partial")
    try:
        if graphml:
            nx.write_graphml(graph, partial)
        else:
            nx.write_gexf(graph, partial)
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return int(graph.number_of_edges())
