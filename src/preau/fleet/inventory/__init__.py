"""Inventory from real agents: OCS Inventory, FusionInventory (XML) and GLPI agent (JSON).

The HTTP endpoint (``views``) checks the transport, reads just enough of the message to
answer in the protocol, stores the raw payload and leaves the heavy work (mapping the
inventory to a device, its interfaces and software) to a Huey task (``ingest``).
"""
