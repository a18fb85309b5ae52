<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" alphabet="ipa" xml:lang="en-US">
  <lexeme><grapheme>W3C</grapheme><alias>World Wide Web Consortium</alias></lexeme>
  <lexeme><grapheme>rtts</grapheme><grapheme>RTTS</grapheme><alias>real time text to speech</alias></lexeme>
  <lexeme><grapheme>tomato</grapheme><phoneme>təmɑːtəʊ</phoneme></lexeme>
</lexicon>
