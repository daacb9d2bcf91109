BprobsJ<3ЦI>СF>qWl>рж<>gJF>jcE>ЕA>ыr>лЅ:>ЬL>ќGF><nC>Рїl>Ў
=>_GL>