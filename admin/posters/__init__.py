"""Posters for muhtars: QR codes and printable A4 PDFs."""
