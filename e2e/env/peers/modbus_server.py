#!/usr/bin/python3
"""Modbus/TCP server for the test environment (python3-pymodbus 3.0 from Debian).

Usage: modbus_server.py <port> <layout.json>
layout.json: {"unit": 1, "co": [...], "di": [...], "hr": [...], "ir": [...]}
Addresses are zero-based (zero_mode=True); each block starts at address 0.
"""
import json
import logging
import sys

from pymodbus.datastore import (
    ModbusSequentialDataBlock,
    ModbusServerContext,
    ModbusSlaveContext,
)
from pymodbus.server import StartTcpServer


def main() -> None:
    port = int(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as f:
        layout = json.load(f)
    slave = ModbusSlaveContext(
        co=ModbusSequentialDataBlock(0, layout["co"]),
        di=ModbusSequentialDataBlock(0, layout["di"]),
        hr=ModbusSequentialDataBlock(0, layout["hr"]),
        ir=ModbusSequentialDataBlock(0, layout["ir"]),
        zero_mode=True,
    )
    context = ModbusServerContext(slaves={layout["unit"]: slave}, single=False)
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout)
    StartTcpServer(context=context, address=("127.0.0.1", port))


if __name__ == "__main__":
    main()
